"""Word lists the patient-information rules share, and the post's word index.

NOT_NAME_WORDS are capitalised words that start or make up the names of things
rather than people on a hospital's social-media board: platforms, departments,
programmes, days and months, and the words at the start of a sentence. A run of
capitalised words after "patient" that contains one ("Patient Experience Week",
"patient Portal Team") is not taken for a person's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_SENTENCE_WORDS = """
a an and the our your my his her their its this that these those we i you he she
they it if when then so but or yes no not also just today yesterday tomorrow
dear hi hello thanks thank please welcome congratulations happy
"""
_CALENDAR_WORDS = """
monday tuesday wednesday thursday friday saturday sunday january february march
september october november december spring summer
autumn fall winter christmas easter thanksgiving new year years day days week
weeks month months
"""
_PLATFORM_WORDS = """
facebook instagram tiktok google youtube linkedin twitter threads reddit yelp
snapchat pinterest whatsapp nextdoor mychart reels reel live stories story
shorts messenger meta apple android hootsuite sprout zoom teams slack
"""
_HEALTHCARE_WORDS = """
patient patients experience safety family families advisory council portal
relations care center centre hospital hospitals health healthcare medical
medicine clinic clinics clinical services service advocate advocacy navigator
navigation satisfaction access education rights financial friendly officer
office department team unit units program programme foundation committee board
network group system general memorial university college school institute
community emergency urgent primary heart cancer children childrens womens mens
behavioral mental public quality affairs communications marketing media social
news press residency resident residents director manager coordinator chief nurse
nurses nursing doctor doctors physician physicians surgeon surgery pediatric
pediatrics oncology cardiology radiology neurology orthopedics labor delivery
intensive recovery rehab rehabilitation hospice home first last best top annual
awareness guide policy plan guidelines night morning evening north south east
west street avenue road county city state national american association society
initiative award awards campaign day-one zero harm trust compliance privacy
hipaa research trial trials volunteer volunteers chaplain spiritual wellness
wellbeing support resource resources information help desk line stroke trauma
"""


def word_list(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# Month names that are also first names (April, May, June, July, August) are
# left out, so "patient June Carter" is still a name.
NOT_NAME_WORDS = frozenset(
    (_SENTENCE_WORDS + _CALENDAR_WORDS + _PLATFORM_WORDS + _HEALTHCARE_WORDS).split()
)

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class PostText:
    """A post's text, and where the label words the rules start with occur.

    Rules that begin with a label ("MRN", "patient", "zip") try their pattern
    only where one of their label words occurs, instead of at every character:
    Python's regex engine cannot skip ahead to a case-insensitive alternation,
    but str.find skips ahead to a word fast. Only ASCII letters are lowered, so
    positions in the lowered copy are positions in the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = text.translate(ASCII_LOWER)
        self._starts: dict[str, list[int]] = {}

    def word_starts(self, word: str) -> list[int]:
        """Where `word` (lower case) occurs as a whole word."""
        if word not in self._starts:
            self._starts[word] = list(self._find(word))
        return self._starts[word]

    def _find(self, word: str) -> Iterator[int]:
        text, size = self.lowered, len(word)
        index = text.find(word)
        while index >= 0:
            after = index + size
            if (index == 0 or not text[index - 1].isalnum()) and (
                after == len(text) or not text[after].isalpha()
            ):
                yield index
            index = text.find(word, index + 1)

    def matches_at(
        self, words: Iterable[str], pattern: re.Pattern[str]
    ) -> Iterator[re.Match[str]]:
        """`pattern` tried at each occurrence of any of `words`, in text order."""
        starts = sorted({start for word in words for start in self.word_starts(word)})
        for start in starts:
            match = pattern.match(self.text, start)
            if match is not None:
                yield match
