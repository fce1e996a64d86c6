"""Forms for the member's own screens: profile and directory search."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, SearchField, StringField, TextAreaField
from wtforms.validators import Length

from portal.membership.models import RENEWAL_NOTE_MAX, MemberProfile
from portal.membership.services.profiles import MAX_BIO, MAX_PLATFORM, MAX_PLATFORMS


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


def split_platforms(text: str | None) -> list[str]:
    """'X, LinkedIn' or one per line: the service trims and drops repeats."""
    return re.split(r"[,\n]", text or "")


class ProfileForm(FlaskForm):
    title = StringField("Title", validators=[Length(max=200)], filters=STRIP)
    organisation = StringField(
        "Organisation", validators=[Length(max=200)], filters=STRIP
    )
    specialty = StringField("Specialty", validators=[Length(max=200)], filters=STRIP)
    platforms = StringField(
        "Platforms you post on",
        validators=[Length(max=MAX_PLATFORMS * (MAX_PLATFORM + 2))],
        filters=STRIP,
    )
    bio = TextAreaField("About you", validators=[Length(max=MAX_BIO)], filters=STRIP)
    directory_opt_in = BooleanField("List me in the members' directory")

    @classmethod
    def of(cls, profile: MemberProfile | None) -> ProfileForm:
        """The form filled from the saved profile (nothing saved: empty)."""
        if profile is None:
            return cls()
        return cls(
            title=profile.title,
            organisation=profile.organisation,
            specialty=profile.specialty,
            platforms=", ".join(profile.platforms or []),
            bio=profile.bio,
            directory_opt_in=profile.directory_opt_in,
        )


class DirectorySearchForm(FlaskForm):
    """A GET form: nothing changes, so no CSRF token in the address."""

    class Meta:
        csrf = False

    q = SearchField(
        "Name, organisation or platform", validators=[Length(max=200)], filters=STRIP
    )
    platform = SearchField("Platform", validators=[Length(max=100)], filters=STRIP)


class RenewalRequestForm(FlaskForm):
    note = TextAreaField(
        "A note for the admin (optional)",
        validators=[Length(max=RENEWAL_NOTE_MAX)],
        filters=STRIP,
        render_kw={"rows": 3, "maxlength": RENEWAL_NOTE_MAX},
    )
