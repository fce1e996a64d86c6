"""The query language: what members may type, and that nothing they type breaks it."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from portal.search.query import (
    MAX_EXCLUDED,
    MAX_INPUT,
    MAX_PARTS,
    MAX_PHRASE_WORDS,
    MAX_TAGS,
    MAX_WORD,
    STOP_WORDS,
    ParsedQuery,
    parse,
    title_words,
    with_filters,
)


def test_plain_words_are_lower_cased_and_stop_words_dropped():
    assert parse("How do I reply to Negative REVIEWS") == ParsedQuery(
        terms=("reply", "negative", "reviews")
    )


def test_quoted_phrases():
    query = parse('consent "patient stories" video')
    assert query.terms == ("consent", "video")
    assert query.phrases == (("patient", "stories"),)


def test_an_unbalanced_quote_runs_to_the_end():
    assert parse('facebook "live video').phrases == (("live", "video"),)
    assert parse('"').is_empty
    assert parse('""""').is_empty


def test_a_quoted_single_word_is_a_word():
    assert parse('"Instagram"') == ParsedQuery(terms=("instagram",))


def test_excluded_words_and_phrases():
    query = parse('live video -youtube -"tik tok" - -')
    assert query.terms == ("live", "video")
    assert query.excluded == (("youtube",), ("tik", "tok"))
    assert not parse("-youtube").has_text


def test_words_glued_by_hyphens_or_apostrophes_are_phrases():
    query = parse("x-twitter don't covid-19 hospital's U.S.")
    assert query.phrases == (
        ("x", "twitter"),
        ("covid", "19"),
        ("hospital", "s"),
        ("u", "s"),
    )
    assert query.terms == ()  # "don't" is two stop words


def test_tags():
    assert parse("tag:Instagram consent").tags == ("instagram",)
    assert parse("TAG:patient_stories").tags == ("patient-stories",)
    assert parse("tag:facebook,crisis,,").tags == ("facebook", "crisis")
    assert parse("tag: tag:!!! tag:,").tags == ()
    assert parse("-tag:facebook").is_empty
    assert parse("tag:" + "a" * 40).tags == ()


def test_states():
    assert parse("is:unanswered").state == "unanswered"
    assert parse("IS:Answered").state == "answered"
    assert parse("is:accepted consent").state == "accepted"
    assert parse("is:unanswered is:accepted").state == "accepted"
    assert parse("is:great").is_empty
    assert parse("-is:answered").is_empty


def test_engine_operators_are_only_punctuation():
    query = parse("facebook OR instagram AND NOT tiktok NEAR(reels, 5) insta* ^title")
    assert query.terms == (
        "facebook",
        "instagram",
        "tiktok",
        "reels",
        "5",
        "insta",
        "title",
    )
    assert parse("title:facebook body : (crisis)").terms == (
        "title",
        "facebook",
        "body",
        "crisis",
    )
    assert parse('{title}: "a" + b ~c @d #e $f %g &h |j').terms == (
        "title",
        *"bcdefghj",
    )


def test_only_stop_words_or_emoji_parse_to_nothing():
    for text in ("the and of", "🙂🔥 👩‍⚕️", "   ", "!!!", "* ^ : ( )", "NEAR OR AND"):
        assert parse(text).is_empty


def test_other_scripts_are_words():
    query = parse("社交媒体 हिन्दी Ελληνικά иврит עברית العربية")
    assert query.terms == (
        "社交媒体",
        "हिन्दी",
        "ελληνικά",
        "иврит",
        "עברית",
        "العربية",
    )


def test_very_long_input_is_cut():
    assert len(str(parse("consent " * 10_000))) < MAX_INPUT
    query = parse(" ".join(f"word{n}" for n in range(100)))
    assert len(query.terms) == MAX_PARTS
    assert parse("a" * (MAX_WORD + 1)).is_empty
    assert parse('"' + "word " * 50 + '"').phrases[0] == ("word",) * MAX_PHRASE_WORDS
    assert len(parse(" ".join(f"-x{n}" for n in range(50))).excluded) == MAX_EXCLUDED


def test_filters_from_outside_the_text():
    query = with_filters(parse("consent"), tag="Instagram", state="unanswered")
    assert query.tags == ("instagram",) and query.state == "unanswered"
    assert with_filters(parse("consent"), tag="!!", state="bogus") == parse("consent")
    assert with_filters(parse("tag:a"), tag="a").tags == ("a",)


def test_title_words_are_the_significant_words():
    assert title_words("How do we get consent for patient photos on Instagram?") == (
        "get",
        "consent",
        "patient",
        "photos",
        "instagram",
    )
    assert title_words("the the the") == ()


def _is_word(word: str) -> bool:
    categories = [unicodedata.category(c)[0] for c in word]
    return set(categories) <= set("LNM") and bool(set(categories) & set("LN"))


@given(st.text(max_size=600))
def test_anything_parses_to_safe_words(text):
    query = parse(text)
    words = [*query.terms, *(w for p in query.phrases for w in p)]
    words += [w for x in query.excluded for w in x]
    assert all(_is_word(word) and len(word) <= MAX_WORD for word in words)
    assert not set(query.terms) & STOP_WORDS
    assert len(query.terms) + len(query.phrases) <= MAX_PARTS
    assert len(query.tags) <= MAX_TAGS


@given(st.text(alphabet=st.sampled_from(list("ab-\"x:tg is'*()")), max_size=80))
def test_the_canonical_text_parses_to_the_same_query(text):
    query = parse(text)
    assert parse(str(query)) == query


@given(st.text(max_size=300))
def test_the_canonical_text_of_anything_parses_to_the_same_query(text):
    query = parse(text)
    assert parse(str(query)) == query
