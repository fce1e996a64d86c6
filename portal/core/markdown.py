"""Turn what members type into HTML that is safe to show to other members.

Two layers guard every post. markdown-it never passes raw HTML through (it is
escaped as text, and links with dangerous schemes are left as plain text), and
nh3 then keeps only an allow-list of tags, attributes and URL schemes, so a
mistake or a future change in one layer is still caught by the other.

Images are not allowed: a remote image loads as soon as the page opens and tells
its host the reader's IP address and when they read the post. `![alt](url)` is
therefore shown as "!" followed by an ordinary link the reader may choose to
follow. Headings h1 to h6 are kept as written, which is simpler than shifting
levels; templates should show a post inside its own <article>.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

LINK_REL = "nofollow ugc noopener"
# Bump when the parser, its options or the allow-list change: stored HTML of an
# older version is re-rendered when shown (and by ``flask board render``).
RENDERER_VERSION = 1

_ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "blockquote", "pre", "code"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
    | {"strong", "em", "del", "s", "a"}
    | {"ul", "ol", "li"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
# No style, class or target anywhere: style lets a post dress up as the portal's
# own interface, target lets it decide where links open, and table alignment is
# not worth either.
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_COMMENT_URL = re.compile(r"https?://\w[^\s<>\"']*", re.IGNORECASE)
# Sentence punctuation right after a URL almost never belongs to it.
_TRAILING_PUNCTUATION = ".,;:!?"
# A closing bracket belongs to the URL only when the URL opened it, as in
# Wikipedia's https://en.wikipedia.org/wiki/Flask_(web_framework).
_BRACKET_PAIRS = {")": "(", "]": "[", "}": "{"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False})
    parser.enable(["table", "strikethrough"])
    parser.disable("image")
    return parser


_PARSER = _build_parser()
_SANITISER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes=_URL_SCHEMES,
    link_rel=LINK_REL,
)
_TAG_STRIPPER = nh3.Cleaner(tags=set())


def render_markdown(text: str) -> Markup:
    """Render a post's Markdown source to sanitised HTML."""
    # Safe to mark: nh3 has just reduced the HTML to the allow-list above.
    return Markup(_SANITISER.clean(_PARSER.render(text)))  # noqa: S704


def stored_html(source: str, html: str | None, version: int) -> Markup:
    """A post's stored rendering if it is current, else a fresh one."""
    if html is not None and version == RENDERER_VERSION:
        # Safe to mark: written by render_markdown at this same version.
        return Markup(html)  # noqa: S704
    return render_markdown(source)


def render_comment(text: str) -> Markup:
    """Render a comment: plain text whose http(s) URLs become links."""
    lines = _LINE_BREAK.split(text)
    return Markup("<br>\n").join(_link_urls(line) for line in lines)


def _link_urls(line: str) -> Markup:
    parts: list[Markup] = []
    position = 0
    for match in _COMMENT_URL.finditer(line):
        url = _trim_url(match.group())
        parts.append(escape(line[position : match.start()]))
        parts.append(_anchor(url))
        # What was trimmed off the URL is shown as text with the rest.
        position = match.start() + len(url)
    parts.append(escape(line[position:]))
    return Markup("").join(parts)


def _trim_url(url: str) -> str:
    while _ends_outside_url(url):
        url = url[:-1]
    return url


def _ends_outside_url(url: str) -> bool:
    last = url[-1]
    if last in _TRAILING_PUNCTUATION:
        return True
    opener = _BRACKET_PAIRS.get(last)
    return opener is not None and url.count(last) > url.count(opener)


def _anchor(url: str) -> Markup:
    return Markup('<a href="{0}" rel="{1}">{0}</a>').format(url, LINK_REL)


def excerpt(text: str, length: int = 200) -> str:
    """Return a plain-text summary of Markdown source, at most `length` long.

    The result is text, not markup: templates escape it and emails use it as is.
    """
    if length < 1:
        raise ValueError("length must be at least 1")
    stripped = _TAG_STRIPPER.clean(render_markdown(text))
    # nh3 returns HTML, so "&" is still "&amp;"; plain text needs the characters.
    plain = " ".join(html.unescape(stripped).split())
    return _truncate(plain, length)


def _truncate(plain: str, length: int) -> str:
    if len(plain) <= length:
        return plain
    window = plain[:length]
    boundary = window.rfind(" ")
    # One word longer than the whole excerpt is cut mid-word rather than lost.
    head = window[:boundary] if boundary > 0 else window[: length - 1]
    return head.rstrip(" .,;:!?-") + "…"
