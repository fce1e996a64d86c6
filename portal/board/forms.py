"""Board forms. The services check the same rules again; these give early errors."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.board.errors import InvalidInput
from portal.board.models import (
    BODY_MAX,
    DAILY,
    OFF,
    TITLE_MAX,
    TITLE_MIN,
    WEEKLY,
)
from portal.board.services.tags import parse_tag_names

BODY = [DataRequired(), Length(max=BODY_MAX)]


class PreviewMixin:
    """Two submit buttons: "Preview" re-shows the form with the rendered body."""

    preview = SubmitField("Preview")

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


class GuardMixin:
    """The patient-information guard's answer: which text the author confirmed
    (``guard_ack``, the digest the guard showed) and that they mean it."""

    guard_ack = HiddenField()
    guard_confirm = BooleanField(
        "I have checked: nothing marked identifies a patient or their family."
    )
    post_anyway = SubmitField("Post anyway, held for review")


def _valid_tags(form: FlaskForm, field: Field) -> None:
    try:
        parse_tag_names(field.data or "")
    except InvalidInput as error:
        raise ValidationError(str(error)) from error


class QuestionForm(PreviewMixin, GuardMixin, FlaskForm):
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


class AnswerForm(PreviewMixin, GuardMixin, FlaskForm):
    body = TextAreaField("Answer", validators=BODY)
    submit = SubmitField("Post your answer")


class AnswerEditForm(PreviewMixin, GuardMixin, FlaskForm):
    body = TextAreaField("Answer", validators=BODY)
    submit = SubmitField("Save changes")


class CommentForm(GuardMixin, FlaskForm):
    # The 600-character limit is checked by the service after line endings are
    # normalised (browsers send each line break as two characters).
    body = TextAreaField("Comment", validators=[DataRequired()])
    answer_id = HiddenField(validators=[Optional()])


class NotificationSettingsForm(FlaskForm):
    email_answer = BooleanField("Email me about new answers on questions I follow")
    email_comment = BooleanField(
        "Email me about new comments on questions I follow and on my answers"
    )
    email_accepted = BooleanField("Email me when my answer is accepted")
    answer_requests = BooleanField(
        "Ask me to answer questions in tags where my answers were accepted or up-voted"
    )
    email_request = BooleanField("Email me when I am asked to answer a question")
    digest_frequency = SelectField(
        "Digest of new questions in the tags I follow",
        choices=[
            SelectChoice(OFF, "Never"),
            SelectChoice(DAILY, "Daily"),
            SelectChoice(WEEKLY, "Weekly"),
        ],
    )
    submit = SubmitField("Save settings")
