"""Searching, and the similar questions shown while a member types a title."""

from __future__ import annotations

from portal.search import engines
from portal.search.engines import NEWEST, RELEVANCE, SORTS
from portal.search.query import parse, title_words, with_filters
from portal.search.results import SearchPage, SimilarQuestion

__all__ = ["NEWEST", "RELEVANCE", "SORTS", "search", "similar"]

PER_PAGE = 20
PER_PAGE_MAX = 100
PAGE_MAX = 500
SIMILAR_MAX = 5
# A title's first five significant words: ten pairs (see similar_groups).
SIMILAR_WORDS = 5


def search(
    text: str,
    *,
    tag: str | None = None,
    state: str | None = None,
    sort: str = RELEVANCE,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """One page of questions matching what a member typed; never raises on input.

    ``tag`` and ``state`` ("unanswered", "answered", "accepted") add to what the
    text says (``tag:x``, ``is:unanswered``). Without words the newest questions
    that pass the filters are listed; without words or filters, nothing.
    Unknown sorts mean relevance, and out-of-range pages are brought in range.
    """
    query = with_filters(parse(text), tag, state)
    sort = sort if sort in SORTS else RELEVANCE
    page = min(max(page, 1), PAGE_MAX)
    per_page = min(max(per_page, 1), PER_PAGE_MAX)
    hits = engines.current().search(
        query, sort, offset=(page - 1) * per_page, limit=per_page + 1
    )
    return SearchPage(
        query=query,
        sort=sort,
        hits=hits[:per_page],
        page=page,
        per_page=per_page,
        has_next=len(hits) > per_page,
    )


def similar(
    title: str, limit: int = SIMILAR_MAX, exclude_id: int | None = None
) -> list[SimilarQuestion]:
    """Questions whose titles or tags share words with ``title``, best first.

    Any word may match (the more and the rarer the better); ``exclude_id`` leaves
    out the question being edited.
    """
    words = title_words(title, SIMILAR_WORDS)
    limit = min(max(limit, 0), SIMILAR_MAX)
    if not words or not limit:
        return []
    return engines.current().similar(words, limit, exclude_id)
