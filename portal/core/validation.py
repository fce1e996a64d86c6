"""Small input checks shared by the services and the roster import."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

MAX_EMAIL = 320


LINE_BREAKS = frozenset("\n\r\t")


def clean_text(
    value: str | None,
    what: str,
    limit: int,
    *,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    """Trimmed text, or None when empty; ``ValueError`` says what is wrong.

    Control characters are refused, except line breaks and tabs in ``multiline``
    text (a bio, notes).
    """
    value = (value or "").strip()
    if not value:
        if required:
            raise ValueError(f"{what} is required.")
        return None
    if len(value) > limit:
        raise ValueError(f"{what} is longer than {limit} characters.")
    allowed = LINE_BREAKS if multiline else frozenset()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValueError(f"{what} contains control characters.")
    return value


def email_problem(email: str | None) -> str | None:
    """Why ``email`` cannot be used as an account address, or None if it can."""
    email = (email or "").strip()
    if not email:
        return "The email address is missing."
    if len(email) > MAX_EMAIL:
        return f"The email address is longer than {MAX_EMAIL} characters."
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        return f"The email address {email!r} is not valid: {error}"
    return None
