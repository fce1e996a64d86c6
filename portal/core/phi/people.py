"""Facts about a person: dates of their care or life, ages over 89, their names.

These need context. A date is flagged only after words that tie it to a person
("born", "admitted", "DOB"); a name only beside a clinical or family word
("patient John Smith", "her son, David Chen", "Rachel Kim was discharged").
Context windows are a fixed number of characters, so the scan stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from portal.core.phi.words import NOT_NAME_WORDS, PostText, word_list

Span = tuple[int, int]

MONTH_WORDS = (
    *word_list(
        "jan january feb february mar march apr april may jun june jul july aug"
    ),
    *word_list("august sep sept september oct october nov november dec december"),
)
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:,?\s{1,3}(?:19|20)\d{2})"
# Dates that start with a digit: 4/12/1961, 1958-07-22, 5 June 2023, 14th of March.
DATE = re.compile(
    rf"""(?ix)
    \d(?<![\w/.-]\d)
    (?: \d?(?P<sep>[/.-])\d{{1,2}}(?:(?P=sep)(?:\d{{4}}|\d{{2}}))?
      | \d{{3}}-[01]\d-[0-3]\d
      | (?P<day>\d?)(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?{MONTH}{YEAR}?
    )
    (?![\w/]|[.-]\d)
    """
)
# Dates that start with the month: March 3, 2024; Aug. 17.
DATE_MONTH_FIRST = re.compile(rf"(?i)\b{MONTH}\s{{1,3}}{DAY}{YEAR}?(?![\w/]|[.-]\d)")
# Words that tie the date after them to a person's life or care.
DATE_CUE = re.compile(
    r"(?i)(?:\bd\.?o\.?b\b|\bdate\s+of\s+(?:birth|death|service|admission|discharge)"
    r"|\bbirth\s?date|\bborn\b|\bbirthday\b|\badmi(?:t|tted|ssion)\b|\breadmitted\b"
    r"|\bdischarged?\b|\bdied\b|\bdeath\b|\bpassed\s+away\b|\bdeceased\b"
    r"|\bsurgery\b|\boperated\b|\bdelivered\b|\btransferred\b|\bseen\b"
    r"|\bvisit(?:ed)?\b|\btreated\b|\bhospitali[sz]ed\b|\bintubated\b"
    r"|\bdiagnosed\b|\bcame\s+in\b)"
)
SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])|\n")


def find_dates(post: PostText) -> Iterator[Span]:
    text = post.text
    for match in chain(
        filter(_is_calendar_date, DATE.finditer(text)),
        post.matches_at(MONTH_WORDS, DATE_MONTH_FIRST),
    ):
        if _cued(text, match.start(), DATE_CUE, width=60):
            yield match.span()


def _is_calendar_date(match: re.Match[str]) -> bool:
    """Month and day in range; without a year only month/day (US order) counts."""
    if match["day"] is not None:
        return 1 <= int(match.group()[0] + match["day"]) <= 31
    if match["sep"] is None:
        return True  # ISO 8601; its pattern already bounds month and day
    parts = [int(part) for part in match.group().split(match["sep"])]
    first, second = parts[0], parts[1]
    if len(parts) == 2:
        return match["sep"] == "/" and 1 <= first <= 12 and 1 <= second <= 31
    return (1 <= first <= 12 and 1 <= second <= 31) or (
        1 <= second <= 12 and 1 <= first <= 31
    )


def _cued(text: str, start: int, cue: re.Pattern[str], width: int) -> bool:
    """The cue appears in the same sentence, at most `width` characters before."""
    window = text[max(0, start - width) : start]
    ends = list(SENTENCE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    return cue.search(window) is not None


# 90 to 125, its first digit taken before the lookbehind (see phi_numbers).
OLD_AGE = r"(?:9(?<![\w.,$-]9)\d|1(?<![\w.,$-]1)(?:[01]\d|2[0-5]))"
YEARS_OLD = r"\s?-?\s?(?:years?|yrs?)\.?(?:\s?-\s?|\s)old\b"
AGE = re.compile(rf"(?i){OLD_AGE}(?:{YEARS_OLD}|\s?(?:yo\b|y/o\b|y\.o\.))")
AGE_WORDS = ("age", "aged", "turn", "turned", "turns", "turning", "ninety", "one")
AGE_AFTER_WORD = re.compile(
    r"""(?ix)
    (?: (?:aged?|turn(?:ed|s|ing)?)\s{1,3}(?:of\s{1,3})?
        (?P<number>9\d|1[01]\d|12[0-5])
        (?![\w%+]|[.,]\d|\s{0,2}(?:percent|and\s+(?:over|older|up)
                                |or\s+(?:over|older)|degrees|days|minutes|hours))
      | (?:ninety|one\s+hundred(?:\s+and)?)
        (?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"""
    + YEARS_OLD
    + ")"
)
# "Our hospital turned 100": an organisation's anniversary, not a patient's age.
ORGANISATION_BEFORE = re.compile(
    r"(?i)\b(?:we|it|hospital|clinic|center|centre|system|foundation|program"
    r"|organi[sz]ation|campus|practice|company|network|residency|unit|building"
    r"|department|page|account|channel)\s{1,3}(?:just\s{1,3}|has\s{1,3}|have\s{1,3})?$"
)


def find_ages(post: PostText) -> Iterator[Span]:
    text = post.text
    for match in AGE.finditer(text):
        yield match.span()
    for match in post.matches_at(AGE_WORDS, AGE_AFTER_WORD):
        before = text[max(0, match.start() - 30) : match.start()]
        if match["number"] is None:
            yield match.span()
        elif not ORGANISATION_BEFORE.search(before):
            yield match.span("number")


# A capitalised name word: Maria, McDonald, MacLeod, O'Brien, Smith-Jones.
NAME_TAIL = (
    r"(?:(?<=M)a?c[A-Z]|(?<=[OD])['\u2019][A-Z])?[a-z]{1,20}(?:-[A-Z][a-z]{1,20})?"
)
NAME_WORD = rf"[A-Z]{NAME_TAIL}"
FULL_NAME_TAIL = rf"{NAME_TAIL}(?:\s[A-Z]\.)?\s{NAME_WORD}(?:\s{NAME_WORD})?"
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx)\.?\s{1,3}"
# Family and clinical words that, just before a name, make it a patient's.
NAME_CUE_WORDS = (
    *word_list("patient patients pt client decedent mother father son daughter"),
    *word_list("grandmother grandfather grandson granddaughter mom dad grandma"),
    *word_list("grandpa wife husband spouse partner sister brother aunt uncle niece"),
    *word_list("nephew cousin fiance fiancee fiancé fiancée boyfriend girlfriend"),
    *word_list("caregiver guardian baby newborn infant widow widower family treated"),
    *word_list("admitted discharged"),
)
NAME_AFTER_CUE = re.compile(
    r"(?i:(?:patients?|pt|client|decedent|(?:grand)?(?:mother|father|son"
    r"|daughter)|mom|dad|grandma|grandpa|wife|husband|spouse|partner|sister"
    r"|brother|aunt|uncle|niece|nephew|cousin|fianc[ée]e?|boyfriend|girlfriend"
    r"|caregiver|guardian|baby|newborn|infant|widow(?:er)?|family\s+of|treated"
    r"|admitted|discharged)\b\.?)"
    r"(?:\s{0,2}[,:]\s{1,3}|\s{1,3})(?i:(?:named|is|was)\s{1,3})?"
    rf"(?:{TITLE})?(?P<name>[A-Z]{FULL_NAME_TAIL})"
)
NAME_BEFORE_CUE = re.compile(
    rf"(?P<name>[A-Z](?<![\w'\u2019.-].){FULL_NAME_TAIL})"
    r"(?=\s{0,2},?\s{1,3}(?:"
    r"(?:a|an|the|our|your|my)\s{1,3}(?:[\w-]{1,20}\s{1,3}){0,2}patient\b"
    r"|who\s{1,3}(?:died|passed\s+away|(?:was|is)\s{1,3}(?:admitted|discharged"
    r"|treated|diagnosed|hospitali[sz]ed|transferred|in\s+(?:our|the)\s))"
    r"|(?:was|is|has\s+been|had\s+been|got)\s{1,3}(?:admitted|discharged"
    r"|diagnosed|treated|hospitali[sz]ed|transferred|readmitted|intubated"
    r"|in\s+(?:our|the)\s+(?:ICU|ED|ER|NICU|PICU|hospital|emergency\s+room))))"
)
TITLE_WORDS = ("mr", "mrs", "ms", "miss", "mx")
TITLED_NAME = re.compile(rf"{TITLE}(?P<name>{NAME_WORD}(?:\s{NAME_WORD}){{0,2}})")
# Around "Mrs. Alvarez", these words say she is there as a patient.
CLINICAL_CONTEXT = re.compile(
    r"(?i)\b(?:patients?|pt|room|bed|ward|icu|nicu|picu|ed|er|admitted|discharged"
    r"|diagnosed|surgery|treated|hospitali[sz]ed|died|passed\s+away|mrn|chart)\b"
)


def find_names(post: PostText) -> Iterator[Span]:
    text = post.text
    for match in chain(
        post.matches_at(NAME_CUE_WORDS, NAME_AFTER_CUE),
        NAME_BEFORE_CUE.finditer(text),
    ):
        span = _trim_name(text, *match.span("name"), min_words=2)
        if span is not None:
            yield span
    for match in post.matches_at(TITLE_WORDS, TITLED_NAME):
        start, end = match.span()
        span = _trim_name(text, match.start("name"), end, min_words=1)
        around = text[max(0, start - 80) : end + 80]
        if span is not None and CLINICAL_CONTEXT.search(around):
            yield start, span[1]


def _trim_name(text: str, start: int, end: int, min_words: int) -> Span | None:
    """Drop capitalised words that are not names ("Patient Experience Week")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    kept = [word for word in words if word.group().lower() not in NOT_NAME_WORDS]
    if len(kept) < min_words or kept != words[len(words) - len(kept) :]:
        return None
    return start + kept[0].start(), start + kept[-1].end()
