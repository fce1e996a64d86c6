"""Board forms. The services check the same rules again; these give early errors."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.board.errors import InvalidInput
from portal.board.models import BODY_MAX, TAG_MAX, TITLE_MAX, TITLE_MIN
from portal.board.tags import parse_tag_names

BODY = [DataRequired(), Length(max=BODY_MAX)]


class PreviewMixin:
    """Two submit buttons: "Preview" re-shows the form with the rendered body."""

    preview = SubmitField("Preview")

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


def _valid_tags(form: FlaskForm, field: Field) -> None:
    try:
        parse_tag_names(field.data or "")
    except InvalidInput as error:
        raise ValidationError(str(error)) from error


class QuestionForm(PreviewMixin, FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired(),
            Length(
                min=TITLE_MIN,
                max=TITLE_MAX,
                message=f"Use {TITLE_MIN} to {TITLE_MAX} characters.",
            ),
        ],
    )
    body = TextAreaField("Details", validators=BODY)
    tags = StringField("Tags", validators=[DataRequired(), _valid_tags])
    submit = SubmitField("Post your question")


class AnswerForm(PreviewMixin, FlaskForm):
    body = TextAreaField("Answer", validators=BODY)
    submit = SubmitField("Post your answer")


class AnswerEditForm(PreviewMixin, FlaskForm):
    body = TextAreaField("Answer", validators=BODY)
    submit = SubmitField("Save changes")


class CommentForm(FlaskForm):
    # The 600-character limit is checked by the service after line endings are
    # normalised (browsers send each line break as two characters).
    body = TextAreaField("Comment", validators=[DataRequired()])
    answer_id = HiddenField(validators=[Optional()])


class TagForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=TAG_MAX * 2)])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    is_starter = BooleanField("Suggest it to everyone asking (starter tag)")


class TagEditForm(FlaskForm):
    description = TextAreaField("Description", validators=[Length(max=2000)])
    is_starter = BooleanField("Suggest it to everyone asking (starter tag)")
