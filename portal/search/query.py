"""The search box's query language, parsed so that no input can reach an engine.

Members type plain words, "quoted phrases", -excluded words (or -"phrases"),
``tag:instagram`` (``tag:a,b`` for several) and ``is:unanswered`` /
``is:answered`` / ``is:accepted``. Everything else is text: the engines'
own syntax (NEAR, OR, ``*``, ``^``, ``:``, parentheses) is punctuation here, and
punctuation only separates words.

The result holds nothing but words made of letters, digits and combining marks
(Unicode categories L, N and M, the same characters SQLite's unicode61 tokenizer
keeps), so each engine can quote them into its own syntax without escaping
anything. Parts glued by ``-``, ``'``, ``.`` or ``_`` (``x-twitter``, ``don't``,
``covid-19``) become a phrase, which is how both engines index them.

``parse`` never raises: unbalanced quotes close at the end, very long input is
cut, and a query of stop words or emoji parses to nothing, which the search
shows as "no results".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from portal.board.errors import InvalidInput
from portal.board.services.tags import normalise_tag

MAX_INPUT = 400
MAX_WORD = 60
MAX_PHRASE_WORDS = 8
MAX_PARTS = 10
MAX_EXCLUDED = 10
MAX_TAGS = 5

UNANSWERED, ANSWERED, ACCEPTED = "unanswered", "answered", "accepted"
STATES = (UNANSWERED, ANSWERED, ACCEPTED)

# PostgreSQL's English stop words (tsearch_data/english.stop), dropped here on
# both engines so that a query means the same on each; SQLite indexes them all.
_STOP_WORDS = """\
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves
    what which who whom this that these those am is are was were be been being have
    has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above
    below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor
    not only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# FTS5's NEAR, in any case; its other keywords (AND, OR, NOT) are stop words.
_OPERATORS = frozenset({"near"})
# Hyphen, apostrophes (straight and curly), full stop, underscore.
_JOINERS = frozenset("-'\u2019._")

Words = tuple[str, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """What a search asks for. Terms and phrases must all match (AND)."""

    terms: Words = ()
    phrases: tuple[Words, ...] = ()
    # Each excluded item is a word (a 1-tuple) or a phrase.
    excluded: tuple[Words, ...] = ()
    tags: tuple[str, ...] = ()
    state: str | None = None

    @property
    def has_text(self) -> bool:
        """Something to match words against (exclusions alone are not)."""
        return bool(self.terms or self.phrases)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.tags or self.state)

    def words(self) -> Words:
        """Every positive word, for ranking and highlighting."""
        return self.terms + tuple(word for phrase in self.phrases for word in phrase)

    def __str__(self) -> str:
        """The canonical query text; ``parse(str(q)) == q``."""
        parts = [*self.terms, *(_quoted(p) for p in self.phrases)]
        parts += [f"-{_quoted(x) if len(x) > 1 else x[0]}" for x in self.excluded]
        parts += [f"tag:{tag}" for tag in self.tags]
        parts += [f"is:{self.state}"] if self.state else []
        return " ".join(parts)


def _quoted(words: Words) -> str:
    return '"' + " ".join(words) + '"'


@dataclass
class _Builder:
    terms: list[str] = field(default_factory=list)
    phrases: list[Words] = field(default_factory=list)
    excluded: list[Words] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    state: str | None = None

    def add(self, words: Words, negated: bool) -> None:
        words = tuple(w for w in words if len(w) <= MAX_WORD)[:MAX_PHRASE_WORDS]
        if not words or all(w in STOP_WORDS or w in _OPERATORS for w in words):
            return
        if negated:
            if words not in self.excluded and len(self.excluded) < MAX_EXCLUDED:
                self.excluded.append(words)
        elif len(self.terms) + len(self.phrases) >= MAX_PARTS:
            return
        elif len(words) == 1 and words[0] not in self.terms:
            self.terms.append(words[0])
        elif len(words) > 1 and words not in self.phrases:
            self.phrases.append(words)

    def add_tags(self, value: str) -> None:
        for raw in value.split(","):
            tag = _tag_name(raw)
            if tag and tag not in self.tags and len(self.tags) < MAX_TAGS:
                self.tags.append(tag)

    def build(self) -> ParsedQuery:
        return ParsedQuery(
            tuple(self.terms),
            tuple(self.phrases),
            tuple(self.excluded),
            tuple(self.tags),
            self.state,
        )


def parse(text: str) -> ParsedQuery:
    """Parse what a member typed; never raises."""
    builder = _Builder()
    text = text[:MAX_INPUT]
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-"
        start = position + 1 if negated else position
        if start < len(text) and text[start] == '"':
            end = text.find('"', start + 1)
            end = len(text) if end < 0 else end
            builder.add(_words(text[start + 1 : end]), negated)
            position = end + 1
        else:
            end = _token_end(text, start)
            _add_token(builder, text[start:end], negated)
            position = end
    return builder.build()


def _token_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and not text[end].isspace() and text[end] != '"':
        end += 1
    return max(end, start + 1)


def _add_token(builder: _Builder, token: str, negated: bool) -> None:
    name, colon, value = token.partition(":")
    name = name.lower()
    if colon and name in ("tag", "is"):
        if not negated and name == "tag":
            builder.add_tags(value)
        elif not negated and value.lower() in STATES:
            builder.state = value.lower()
        return
    for piece in _pieces(token):
        builder.add(piece, negated)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def _words(text: str) -> Words:
    """The words in ``text``: runs of letters, digits and marks, lower-cased.

    A run of marks alone (the variation selector after an emoji) is no word.
    """
    words, current = [], []
    for char in text + " ":
        if _is_word_char(char):
            current.append(char)
        elif current:
            word = "".join(current)
            if any(unicodedata.category(c)[0] in "LN" for c in word):
                words.append(word.lower())
            current = []
    return tuple(words)


def _pieces(token: str) -> list[Words]:
    """Split at punctuation; parts glued by joiners stay together as a phrase."""
    pieces: list[Words] = []
    current: list[str] = []
    for char in token:
        if _is_word_char(char) or char in _JOINERS:
            current.append(char)
        elif current:
            pieces.append(_words("".join(current)))
            current = []
    if current:
        pieces.append(_words("".join(current)))
    return [piece for piece in pieces if piece]


def _tag_name(raw: str) -> str | None:
    try:
        return normalise_tag(raw)
    except InvalidInput:
        return None


def with_filters(
    query: ParsedQuery, tag: str | None = None, state: str | None = None
) -> ParsedQuery:
    """Add a tag and a state chosen outside the text (a link, a select box)."""
    if tag is not None and (name := _tag_name(tag)) and name not in query.tags:
        query = replace(query, tags=(*query.tags, name)[:MAX_TAGS])
    if state in STATES:
        query = replace(query, state=state)
    return query


def title_words(title: str, limit: int = MAX_PARTS) -> Words:
    """A title's significant words, for "similar questions" (stop words dropped)."""
    seen: list[str] = []
    for word in _words(title[:MAX_INPUT]):
        if word in STOP_WORDS or len(word) > MAX_WORD or word in seen:
            continue
        seen.append(word)
    return tuple(seen[:limit])
