"""Filters as words: a thread's tags and answered state, written into its document.

An engine whose filters would otherwise read the row of every match (SQLite's
FTS5, joined to ``search_document``) matches these words inside its text index
instead, where "instagram AND tag:hipaa" is one intersection of word lists.
Each is a single token that no tokenizer splits and no stemmer changes: digits
around letters and digits (a tag's name in hex, so "patient-stories" is one
word and never confused with "patient stories").
"""

from __future__ import annotations

from portal.search.query import ACCEPTED, ANSWERED, UNANSWERED


def tag_facet(name: str) -> str:
    return "0t" + name.encode().hex() + "0"


def state_facet(state: str) -> str:
    return "0s" + state + "0"


def facets(tags: list[str], answer_count: int, has_accepted: bool) -> str:
    states = [ANSWERED if answer_count else UNANSWERED]
    states += [ACCEPTED] if has_accepted else []
    return " ".join([*map(tag_facet, tags), *map(state_facet, states)])
