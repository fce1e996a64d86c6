from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from portal.core.markdown import excerpt, render_comment, render_markdown

Tag = tuple[str, dict[str, str | None]]


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_in(html: str) -> list[Tag]:
    """Parse the output the way a browser would, so tests see real elements."""
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def tag_names(html: str) -> set[str]:
    return {name for name, _ in tags_in(html)}


def hrefs(html: str) -> list[str]:
    return [attrs.get("href") or "" for name, attrs in tags_in(html) if name == "a"]


def all_attribute_names(html: str) -> set[str]:
    return {attr for _, attrs in tags_in(html) for attr in attrs}


def test_script_tag_is_escaped_not_rendered() -> None:
    html = render_markdown("<script>alert(1)</script>")

    assert "script" not in tag_names(html)
    assert "&lt;script&gt;" in html


def test_script_inside_inline_text_is_escaped() -> None:
    html = render_markdown("hello <script>alert(1)</script> world")

    assert "script" not in tag_names(html)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x]( javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_javascript_links_get_no_javascript_href(source: str) -> None:
    html = render_markdown(source)

    for href in hrefs(html):
        assert "javascript" not in href.lower()
        assert urlsplit(href).scheme in {"", "http", "https", "mailto"}


@pytest.mark.parametrize(
    "source",
    [
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<data:text/html,<script>alert(1)</script>>",
        "[x](vbscript:msgbox(1))",
        "<vbscript:msgbox(1)>",
        "[x][ref]\n\n[ref]: data:text/html,hi",
    ],
)
def test_data_and_vbscript_urls_are_dropped(source: str) -> None:
    html = render_markdown(source)

    for href in hrefs(html):
        assert not href.lower().startswith(("data:", "vbscript:"))
    assert "script" not in tag_names(html)


def test_raw_img_with_onerror_yields_no_img_and_no_handler() -> None:
    html = render_markdown("<img src=x onerror=alert(1)>")

    assert "img" not in tag_names(html)
    assert not any(name.startswith("on") for name in all_attribute_names(html))


def test_markdown_image_becomes_a_link_not_an_img() -> None:
    html = render_markdown("![diagram](https://example.com/d.png)")

    assert "img" not in tag_names(html)
    assert hrefs(html) == ["https://example.com/d.png"]
    assert "diagram" in html


def test_raw_anchor_html_is_escaped_as_text() -> None:
    html = render_markdown('<a href="http://e.com" onclick="x">click</a>')

    assert "a" not in tag_names(html)
    assert "onclick" not in all_attribute_names(html)
    assert "&lt;a href=" in html


def test_normal_link_gets_nofollow_ugc_noopener() -> None:
    html = render_markdown('[docs](https://example.com/docs "The docs")')

    [(name, attrs)] = tags_in(html)[1:]
    assert name == "a"
    assert attrs == {
        "href": "https://example.com/docs",
        "title": "The docs",
        "rel": "nofollow ugc noopener",
    }


def test_mailto_link_is_kept() -> None:
    html = render_markdown("[write](mailto:office@example.com)")

    assert hrefs(html) == ["mailto:office@example.com"]


def test_links_have_no_target() -> None:
    html = render_markdown("<https://example.com>")

    assert "target" not in all_attribute_names(html)


def test_table_renders_without_style_attributes() -> None:
    source = "| Term | Ends |\n|:-----|-----:|\n| 2024 | June |"

    html = render_markdown(source)

    assert {"table", "thead", "tbody", "tr", "th", "td"} <= tag_names(html)
    assert "style" not in all_attribute_names(html)


def test_fenced_code_renders_pre_code_and_escapes_html() -> None:
    html = render_markdown("```html\n<b onclick='x'>bold</b>\n```")

    assert html.startswith("<pre><code>")
    assert "&lt;b onclick='x'&gt;bold&lt;/b&gt;" in html
    assert "b" not in tag_names(html)


def test_strikethrough_and_emphasis_render() -> None:
    html = render_markdown("~~old~~ **new** *now*")

    assert {"s", "strong", "em"} <= tag_names(html)


def test_unicode_survives() -> None:
    text = "Grüße 🎉👩🏽‍💻 مرحبا بالعالم 你好 世界 日本語"

    html = render_markdown(text)

    assert html == f"<p>{text}</p>\n"


def test_empty_string_renders_empty() -> None:
    assert render_markdown("") == ""


def test_output_is_markup() -> None:
    assert isinstance(render_markdown("hi"), Markup)
    assert isinstance(render_comment("hi"), Markup)


def test_large_input_renders() -> None:
    paragraph = "Some **bold** text with a [link](https://example.com).\n\n"
    source = paragraph * (200_000 // len(paragraph) + 1)

    html = render_markdown(source)

    assert len(source) >= 200_000
    assert html.count("<strong>") == source.count("**bold**")


def test_deeply_nested_quotes_are_capped_instead_of_crashing() -> None:
    html = render_markdown(">" * 10_000 + " deep")

    # markdown-it stops nesting at 20 levels to protect the stack.
    assert 0 < html.count("<blockquote>") <= 20


# Fragments that attacks are built from, so short random strings hit the
# interesting combinations far more often than arbitrary text would.
_MARKDOWN_FRAGMENTS = st.sampled_from(
    [
        *"<>\"'=/:()[]!*_`~|#-> \n&;",
        *["javascript:", "data:", "http://", "<script>", "<img ", "onerror="],
        *["a", "1"],
    ]
)


@settings(max_examples=300, database=None, deadline=None)
@given(st.lists(_MARKDOWN_FRAGMENTS, max_size=60).map("".join))
def test_any_markdown_yields_only_allowed_tags_and_attributes(source: str) -> None:
    html = render_markdown(source)

    allowed_attributes = {"a": {"href", "title", "rel"}, "ol": {"start"}}
    for name, attrs in tags_in(html):
        assert name not in {"script", "img", "iframe", "style"}
        assert set(attrs) <= allowed_attributes.get(name, set())
    for href in hrefs(html):
        assert urlsplit(href).scheme in {"", "http", "https", "mailto"}


@settings(max_examples=300, database=None, deadline=None)
@given(st.text(max_size=80))
def test_any_comment_yields_only_links_and_breaks(text: str) -> None:
    html = render_comment(text)

    assert tag_names(html) <= {"a", "br"}
    for href in hrefs(html):
        assert href.lower().startswith(("http://", "https://"))


def test_comment_links_urls_with_rel() -> None:
    html = render_comment("see https://example.com/a?b=1&c=2 now")

    assert html == (
        'see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.com/a?b=1&amp;c=2</a> now"
    )


def test_comment_escapes_html() -> None:
    html = render_comment("<b>bold</b> <script>x</script>")

    assert tag_names(html) == set()
    assert html == "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;"


def test_comment_drops_trailing_period_from_link() -> None:
    html = render_comment("Read http://example.com/page.")

    assert hrefs(html) == ["http://example.com/page"]
    assert html.endswith("</a>.")


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("(see https://example.com/x)", "https://example.com/x"),
        (
            "https://en.wikipedia.org/wiki/Flask_(web_framework), ok",
            "https://en.wikipedia.org/wiki/Flask_(web_framework)",
        ),
        ("really https://example.com?!", "https://example.com"),
        ('"https://example.com"', "https://example.com"),
        ("<https://example.com>", "https://example.com"),
    ],
)
def test_comment_keeps_surrounding_punctuation_out_of_links(
    text: str, href: str
) -> None:
    assert hrefs(render_comment(text)) == [href]


def test_comment_does_not_link_other_schemes() -> None:
    html = render_comment("javascript:alert(1) ftp://example.com www.example.com")

    assert hrefs(html) == []


def test_comment_quote_cannot_break_out_of_href() -> None:
    html = render_comment("https://example.com/x'onmouseover='alert(1)")

    [(_, attrs)] = tags_in(html)
    assert set(attrs) == {"href", "rel"}


def test_comment_keeps_line_breaks() -> None:
    html = render_comment("one\ntwo\r\nthree\rfour")

    assert html == "one<br>\ntwo<br>\nthree<br>\nfour"


def test_comment_does_not_render_markdown() -> None:
    assert render_comment("**not bold**") == "**not bold**"


def test_empty_comment_renders_empty() -> None:
    assert render_comment("") == ""


def test_excerpt_strips_markup_and_decodes_entities() -> None:
    source = "# Title\n\nSome **bold** & [linked](https://e.com) `<code>`."

    assert excerpt(source) == "Title Some bold & linked <code>."


def test_excerpt_truncates_at_word_boundary_with_ellipsis() -> None:
    source = "alpha beta gamma delta epsilon"

    assert excerpt(source, length=18) == "alpha beta gamma…"


def test_excerpt_is_never_longer_than_length() -> None:
    source = " ".join(["word"] * 100)

    for length in range(1, 60):
        assert len(excerpt(source, length=length)) <= length


def test_excerpt_cuts_a_single_long_word() -> None:
    assert excerpt("a" * 50, length=10) == "a" * 9 + "…"


def test_excerpt_keeps_short_text_whole() -> None:
    assert excerpt("Short *post*.") == "Short post."


def test_excerpt_drops_punctuation_before_ellipsis() -> None:
    assert excerpt("first, second third", length=12) == "first…"


def test_excerpt_of_empty_text_is_empty() -> None:
    assert excerpt("") == ""
