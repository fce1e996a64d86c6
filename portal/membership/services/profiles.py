"""Member profiles: what a member shows the network, and the directory opt-in."""

from __future__ import annotations

from collections.abc import Iterable

from portal.auth.models import User
from portal.core.validation import clean_text
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import MemberProfile

MAX_PLATFORMS = 12
MAX_PLATFORM = 40
MAX_BIO = 500


def profile_of(user: User) -> MemberProfile:
    """The member's profile, created empty (not yet flushed) the first time."""
    profile = db.session.get(MemberProfile, user.id)
    if profile is None:
        profile = MemberProfile(user_id=user.id, platforms=[])
        db.session.add(profile)
    return profile


def clean_platforms(platforms: Iterable[str]) -> list[str]:
    """Trimmed, without blanks or repeats (case-insensitive), order kept."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for platform in platforms:
        name = clean_text(platform, "A platform name", MAX_PLATFORM)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            cleaned.append(name)
    if len(cleaned) > MAX_PLATFORMS:
        raise ValueError(f"List at most {MAX_PLATFORMS} platforms.")
    return cleaned


def update_profile(
    user: User,
    *,
    title: str | None,
    organisation: str | None,
    specialty: str | None,
    platforms: Iterable[str],
    bio: str | None,
    directory_opt_in: bool,
) -> MemberProfile:
    """Replace the member's profile; ``MembershipError`` says which field is wrong."""
    try:
        fields = {
            "title": clean_text(title, "The title", 200),
            "organisation": clean_text(organisation, "The organisation", 200),
            "specialty": clean_text(specialty, "The specialty", 200),
            "platforms": clean_platforms(platforms),
            "bio": clean_text(bio, "The bio", MAX_BIO, multiline=True),
        }
    except ValueError as error:
        raise MembershipError(str(error)) from error
    profile = profile_of(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.directory_opt_in = directory_opt_in
    db.session.flush()
    return profile


def fill_profile_blanks(
    user: User,
    *,
    organisation: str | None,
    title: str | None,
    profile: MemberProfile | None = None,
) -> None:
    """Roster data fills empty fields only: a member's own edits win."""
    organisation = clean_text(organisation, "The organisation", 200)
    title = clean_text(title, "The title", 200)
    if not organisation and not title:
        return
    profile = profile or profile_of(user)
    if organisation and not profile.organisation:
        profile.organisation = organisation
    if title and not profile.title:
        profile.title = title
