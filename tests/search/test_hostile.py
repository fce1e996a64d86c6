"""Whatever a member types, search answers with results or "no results", never
an error, on both engines."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.search.queries import search, similar
from tests.search.helpers import answer, ask

HOSTILE = [
    '"unbalanced quote',
    'consent "',
    '"""',
    "facebook NEAR instagram",
    "NEAR(facebook instagram, 5)",
    "insta*",
    "*",
    "^title",
    "title:consent",
    ":",
    "facebook OR instagram",
    "facebook AND NOT instagram",
    "OR AND NOT",
    "{title body}: consent",
    "consent -",
    "-",
    "--consent",
    '-"',
    "tag:",
    "is:",
    "tag:../../etc/passwd",
    "'; DROP TABLE question; --",
    "' OR 1=1 --",
    "100% \\ backslash _underscore_",
    "\x00 nul \x01\x02\x03 controls \x7f",
    "the of and to a",
    "🙂🔥 👩‍⚕️",
    "社交媒体 营销",
    "हिन्दी में प्रश्न",
    "مرحبا بالعالم",
    "שלום",
    "\ud800 lone surrogate",
    "consent " * 5000,
    '"' * 1000,
    "x" * 100_000,
    "<script>alert(1)</script>",
    "&amp; &lt;mark&gt;",
]


@pytest.fixture
def threads(member, other):
    question = ask(member, "Consent forms for Instagram patient stories", tags="hipaa")
    answer(other, question, "Use the hospital's standard consent form.")
    return question


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_give_results_or_nothing(threads, text):
    for sort in ("relevance", "newest"):
        page = search(text, sort=sort)
        assert isinstance(page.hits, list)
        search(text, tag="hipaa", state="answered", sort=sort, page=2)
    assert len(similar(text)) <= 5


def test_engine_syntax_still_finds_the_words(threads):
    for text in (
        "consent OR instagram",
        "consent* ^instagram",
        "NEAR(consent instagram)",
        "(consent): +instagram",
    ):
        assert [hit.question_id for hit in search(text).hits] == [threads.id]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=200))
def test_any_text_searches_without_error(threads, text):
    search(text)
    search(text, sort="newest", tag="hipaa")
    similar(text)


WORDS = st.sampled_from(["consent", "form", "instagram", "the", "x-ray", "社交"])
PIECES = st.one_of(
    WORDS,
    WORDS.map(lambda w: f'"{w} {w}"'),
    WORDS.map(lambda w: f"-{w}"),
    st.sampled_from(["tag:hipaa", "is:answered", "is:unanswered", "OR", "*", '"']),
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(pieces=st.lists(PIECES, max_size=8))
def test_any_mix_of_the_query_language_runs(threads, pieces):
    text = " ".join(pieces)
    for sort in ("relevance", "newest"):
        search(text, sort=sort)
