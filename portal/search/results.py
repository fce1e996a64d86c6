"""What searches return: plain values a view or template can show as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from portal.search.query import ParsedQuery


@dataclass(frozen=True)
class SearchHit:
    question_id: int
    title: str
    # The title and a passage of the body or answers, escaped, matches in <mark>.
    title_html: Markup
    snippet: Markup
    answer_count: int
    has_accepted: bool
    score: int
    created_at: datetime


@dataclass(frozen=True)
class SearchPage:
    """One page of results; ``has_next`` instead of a total, which costs a scan."""

    query: ParsedQuery
    sort: str
    hits: list[SearchHit]
    page: int
    per_page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None


@dataclass(frozen=True)
class SimilarQuestion:
    question_id: int
    title: str
    answer_count: int
    has_accepted: bool
