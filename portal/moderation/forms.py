"""Moderation's forms: a member's flag, and the moderators' decisions.

They check shape only; the rules (one flag per member, what a decision may
change) stay in the services.
"""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.moderation.models import FLAG_REASONS, NOTE_MAX

REASON_TOO_LONG = f"Keep it under {NOTE_MAX} characters."


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class FlagForm(FlaskForm):
    reason = RadioField(
        "Why should a moderator look at this?",
        choices=[SelectChoice(key, label) for key, label in FLAG_REASONS.items()],
        validators=[InputRequired("Choose a reason.")],
    )
    note = TextAreaField(
        "Anything a moderator should know (optional)",
        validators=[Length(max=NOTE_MAX, message=REASON_TOO_LONG)],
        filters=[_strip],
        render_kw={"rows": 3, "maxlength": NOTE_MAX},
    )


class DecisionForm(FlaskForm):
    """Dismiss, restore, lock, unlock, reopen: a reason is optional."""

    reason = TextAreaField(
        "Reason", validators=[Length(max=NOTE_MAX, message=REASON_TOO_LONG)]
    )
    next = HiddenField()


class HideForm(DecisionForm):
    """The author reads this reason, so it is required."""

    reason = TextAreaField(
        "Reason (the author reads it)",
        validators=[
            DataRequired("Give a reason: the author is told it."),
            Length(max=NOTE_MAX, message=REASON_TOO_LONG),
        ],
    )


# "123", "#123", or a link to the question page.
QUESTION_REF = re.compile(r"^#?(\d{1,9})$|/questions/(\d{1,9})(?:[/?#]|$)")


def question_ref(value: str | None) -> int | None:
    match = QUESTION_REF.search((value or "").strip())
    return int(match.group(1) or match.group(2)) if match else None


class DuplicateForm(DecisionForm):
    original = StringField(
        "Original question (its number or link)",
        validators=[DataRequired("Say which question it duplicates.")],
    )

    def validate_original(self, field: StringField) -> None:
        if question_ref(field.data) is None:
            raise ValidationError("Give the original's number (42) or its link.")


class SuspendForm(DecisionForm):
    until = DateField(
        "Suspended until (last day)",
        validators=[InputRequired("Enter a date like 2026-03-01.")],
    )
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired("Give a reason: it is kept in the audit log."),
            Length(max=NOTE_MAX, message=REASON_TOO_LONG),
        ],
    )
