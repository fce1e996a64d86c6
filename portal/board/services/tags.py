"""Tags: normalising names, the starter set, and tags members add while asking."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select, update

from portal.auth.models import User
from portal.board.errors import InvalidInput
from portal.board.models import TAG_MAX, TAGS_MAX, TAGS_MIN, Tag
from portal.core.atomic import execute, insert_ignore
from portal.core.time import utcnow
from portal.extensions import db

STARTER_TAGS: dict[str, str] = {
    "facebook": "Pages, groups, Live and Meta Business Suite.",
    "instagram": "Feed posts, Stories, Reels and Instagram accounts for clinics.",
    "x-twitter": "X (formerly Twitter): threads, lists, live-tweeting conferences.",
    "linkedin": "Professional profiles, company pages and LinkedIn articles.",
    "youtube": "Channels, patient education videos, Shorts and captions.",
    "tiktok": "Short video, trends, and whether clinicians should be there at all.",
    "blogs": "Writing, hosting and promoting long-form posts.",
    "podcasts": "Planning, recording, guests and distribution.",
    "strategy": "Goals, audiences, content calendars and staffing.",
    "policy": "Social media policies for staff, residents and physicians.",
    "crisis": "Responding to negative attention, misinformation and emergencies.",
    "measurement": "Analytics, reporting and proving value to leadership.",
    "advertising": "Paid social, targeting rules and budgets.",
    "patient-stories": "Consent, storytelling and featuring patients safely.",
    "physician-brand": "Clinicians' own online presence and reputation.",
    "hipaa": "Privacy: what may never be posted, and what to do after a slip.",
}

_SEPARATORS = re.compile(r"[\s_]+")
_NOT_ALLOWED = re.compile(r"[^a-z0-9-]")
_HYPHENS = re.compile(r"-{2,}")


def normalise_tag(raw: str) -> str:
    """'Patient Stories' -> 'patient-stories'; only a-z, 0-9 and hyphens remain."""
    name = _SEPARATORS.sub("-", raw.strip().lower())
    name = _HYPHENS.sub("-", _NOT_ALLOWED.sub("", name)).strip("-")
    if not name:
        raise InvalidInput(f"“{raw.strip()}” is not a usable tag name.", "tags")
    if len(name) > TAG_MAX:
        raise InvalidInput(f"Tag “{name}” is longer than {TAG_MAX} characters.", "tags")
    return name


def parse_tag_names(raw: str | Iterable[str]) -> list[str]:
    """Comma-separated input (or a list) -> 1 to 5 distinct normalised names."""
    pieces = raw.split(",") if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for piece in pieces:
        if not piece.strip():
            continue
        name = normalise_tag(piece)
        if name not in names:
            names.append(name)
    if not TAGS_MIN <= len(names) <= TAGS_MAX:
        raise InvalidInput(f"Use between {TAGS_MIN} and {TAGS_MAX} tags.", "tags")
    return names


def find_tag(name: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.name == name))


def resolve_tags(names: list[str], creator: User | None) -> list[Tag]:
    """The tags called ``names``, creating any that do not exist yet."""
    existing = db.session.scalars(select(Tag).where(Tag.name.in_(names))).all()
    by_name = {tag.name: tag for tag in existing}
    missing = [name for name in names if name not in by_name]
    for name in missing:
        # Two members inventing the same tag at once must both end up using it.
        insert_ignore(
            Tag,
            name=name,
            description="",
            is_starter=False,
            created_at=utcnow(),
            created_by_id=creator.id if creator else None,
        )
    if missing:
        added = db.session.scalars(select(Tag).where(Tag.name.in_(missing))).all()
        by_name.update((tag.name, tag) for tag in added)
    return [by_name[name] for name in names]


def ensure_starter_tags() -> list[Tag]:
    """Create the starter set; descriptions admins have edited are kept."""
    tags = resolve_tags(list(STARTER_TAGS), creator=None)
    for tag in tags:
        if not tag.is_starter:
            tag.is_starter = True
        if not tag.description:
            tag.description = STARTER_TAGS[tag.name]
    db.session.flush()
    return tags


def create_tag(
    name: str, description: str, creator: User, is_starter: bool = False
) -> Tag:
    """An admin adds a tag with its description."""
    name = normalise_tag(name)
    if find_tag(name) is not None:
        raise InvalidInput(f"The tag “{name}” already exists.", "name")
    tag = Tag(
        name=name,
        description=description.strip(),
        is_starter=is_starter,
        created_by_id=creator.id,
    )
    db.session.add(tag)
    db.session.flush()
    return tag


def update_tag(tag: Tag, description: str, is_starter: bool) -> Tag:
    tag.description = description.strip()
    tag.is_starter = is_starter
    db.session.flush()
    return tag


def count_questions(tag_ids: Iterable[int], delta: int) -> None:
    """Move the tags' question counters in one UPDATE (never read and written back)."""
    ids = sorted(set(tag_ids))
    if ids and delta:
        execute(
            update(Tag)
            .where(Tag.id.in_(ids))
            .values(question_count=Tag.question_count + delta)
        )


def count_follower(tag_id: int, delta: int) -> None:
    execute(
        update(Tag)
        .where(Tag.id == tag_id)
        .values(follower_count=Tag.follower_count + delta)
    )
