"""Online identifiers: email addresses, IP addresses, URLs that point at a person.

Patterns start only at a token boundary and repeat a bounded number of times, so
scanning stays linear however hostile the text (see phi_numbers for why the
lookbehind comes after the first character).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from itertools import chain
from urllib.parse import parse_qsl, urlsplit

from portal.core.phi.words import PostText

Span = tuple[int, int]

EMAIL = re.compile(
    r"[A-Za-z0-9._%+-](?<![\w.%+-].)[A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.){1,8}"
    r"[A-Za-z]{2,24}(?![\w-])"
)


def find_emails(post: PostText) -> Iterator[Span]:
    for match in EMAIL.finditer(post.text):
        yield match.span()


IPV4 = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?!\w|\.\d)")
# A run of hex digits and colons, with a colon among its first five characters.
IPV6 = re.compile(
    r"[0-9A-Fa-f:](?<![\w:.].)[0-9A-Fa-f]{0,3}:[0-9A-Fa-f:]{1,38}(?![\w:])"
)
# "Firmware 3.2.1.7" is a version, not an address.
VERSION_CUE = re.compile(
    r"(?i)\b(?:v|ver|version|firmware|build|release|update|ios|android|os)\.?\s{0,2}$"
)


def find_ips(post: PostText) -> Iterator[Span]:
    text = post.text
    for match in IPV4.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if _is_ip(match.group()) and not VERSION_CUE.search(before):
            yield match.span()
    for match in IPV6.finditer(text):
        groups = [part for part in match.group().split(":") if part]
        if len(groups) >= 3 and _is_ip(match.group()):
            yield match.span()


def _is_ip(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


_URL_CHARS = r"""[^\s<>"'()\[\]{}]"""
URL_WORDS = ("http", "https", "www")
URL = re.compile(rf"(?i)(?:https?://|www\.){_URL_CHARS}{{1,2000}}")
# A URL written without http:// or www. is found from its ".tld/" backwards.
DOMAIN_END = re.compile(r"\.[A-Za-z]{2,12}/")
DOMAIN_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"
)
BARE_URL = re.compile(
    rf"(?i)(?<![\w@./-])(?:[a-z0-9-]{{1,63}}\.){{1,4}}[a-z]{{2,12}}/{_URL_CHARS}{{0,2000}}"
)
TRAILING = ".,;:!?'\""

# Sites whose pages are about one person: fundraisers, journals, obituaries.
PERSONAL_SITES = (
    "gofundme.com",
    "caringbridge.org",
    "legacy.com",
    "mealtrain.com",
    "givesendgo.com",
    "spotfund.com",
    "lotsahelpinghands.com",
    "everloved.com",
)
# Social networks: a profile path names a person or an organisation.
SOCIAL_SITES = (
    "facebook.com",
    "fb.com",
    "instagram.com",
    "tiktok.com",
    "twitter.com",
    "x.com",
    "threads.net",
    "threads.com",
    "youtube.com",
    "linkedin.com",
    "reddit.com",
    "pinterest.com",
    "snapchat.com",
    "nextdoor.com",
    "yelp.com",
)
PROFILE_PREFIXES = {"in", "pub", "u", "user", "people", "profile.php", "user_details"}
PERSON_QUERY_KEYS = {
    "patient",
    "patientid",
    "pid",
    "mrn",
    "member",
    "memberid",
    "dob",
    "ssn",
    "user",
    "userid",
    "uid",
    "email",
    "phone",
    "name",
}


def find_urls(post: PostText) -> Iterator[Span]:
    for match in chain(post.matches_at(URL_WORDS, URL), _bare_urls(post.text)):
        url = match.group().rstrip(TRAILING)
        if points_at_person(url):
            yield match.start(), match.start() + len(url)


def _bare_urls(text: str) -> Iterator[re.Match[str]]:
    for hit in DOMAIN_END.finditer(text):
        start, stop = hit.start(), max(0, hit.start() - 255)
        while start > stop and text[start - 1] in DOMAIN_CHARS:
            start -= 1
        match = BARE_URL.match(text, start)
        if match is not None:
            yield match


def points_at_person(url: str) -> bool:
    """A URL for an individual's profile, fundraiser, obituary or record.

    Organisations' pages (a hospital's site, its Facebook page) are not patient
    information; a handle that looks like a person's (dots, underscores or
    digits: maria.gonzalez.5, jenny_rn_92) is treated as one.
    """
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    segments = [segment for segment in parts.path.split("/") if segment]
    if _query_names_person(parts.query) or any(
        "obituar" in segment.lower() for segment in segments
    ):
        return True
    if _on_site(host, PERSONAL_SITES):
        return bool(segments)
    if not _on_site(host, SOCIAL_SITES) or not segments:
        return False
    first = segments[0].lower()
    if first in PROFILE_PREFIXES:
        return True
    handle = first.removeprefix("@")
    return any(char in handle for char in "._") or any(c.isdigit() for c in handle)


def _on_site(host: str, sites: tuple[str, ...]) -> bool:
    return any(host == site or host.endswith(f".{site}") for site in sites)


def _query_names_person(query: str) -> bool:
    keys = {re.sub(r"[^a-z]", "", key.lower()) for key, _ in parse_qsl(query)}
    return bool(keys & PERSON_QUERY_KEYS)
