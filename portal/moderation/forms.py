"""Moderation's forms: a member's flag.

They check shape only; the rules (one flag per member, what a decision may
change) stay in the services.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

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
