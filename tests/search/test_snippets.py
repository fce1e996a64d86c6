"""Highlighted passages are escaped text with balanced <mark> tags, nothing more."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portal.search.snippets import START, STOP, clean, lead, marked


def test_matches_become_mark_tags_and_the_rest_is_escaped():
    text = f"<script>{START}alert{STOP}(1)</script> & more"
    assert marked(text) == (
        "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; more"
    )


def test_stray_markers_never_leave_a_tag_open():
    assert marked(f"{STOP}a{START}b{START}c") == "a<mark>bc</mark>"


def test_clean_removes_the_markers_and_other_controls():
    assert clean(f"a{START}b{STOP}c\x00d\te\nf") == "a b c d\te\nf"


def test_lead_is_the_escaped_start_of_the_text():
    assert lead("<b>one</b> two three", words=2) == "&lt;b&gt;one&lt;/b&gt; two …"
    assert lead("short") == "short"


@given(st.text(alphabet=st.sampled_from(["<", ">", "&", '"', "a", START, STOP])))
def test_any_marked_text_has_no_markup_but_balanced_marks(text):
    html = str(marked(text))
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
    assert html.count("<mark>") == html.count("</mark>")
