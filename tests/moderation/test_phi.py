"""The patient-information detector: what it catches, what it leaves alone."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.phi import KIND_EXPLANATIONS, KINDS, Finding, scan

CORPUS = Path(__file__).resolve().parent.parent / "data" / "phi_corpus.jsonl"


def kinds_in(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in scan(text):
        found.setdefault(finding.kind, []).append(finding.text)
    return found


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "phone",
            "Her daughter said to call her at (617) 555-0142 tonight.",
            "(617) 555-0142",
        ),
        ("phone", "He left 312.555.0199 in the review.", "312.555.0199"),
        (
            "phone",
            "Our switchboard, 1-800-555-0100, is on every post.",
            "1-800-555-0100",
        ),
        (
            "phone",
            "A cousin in London posted +44 20 7946 0958 for us.",
            "+44 20 7946 0958",
        ),
        ("phone", "He wrote 'my cell is 555-0173' under the reel.", "555-0173"),
        (
            "email",
            "Her son emailed j.smith77@gmail.com about the photo.",
            "j.smith77@gmail.com",
        ),
        ("ssn", "The bill in her photo shows 123-45-6789.", "123-45-6789"),
        ("ssn", "He typed SSN: 219099999 into a public comment.", "219099999"),
        ("record_number", "You can read MRN 00482913 on the wristband.", "00482913"),
        (
            "record_number",
            "She pasted acct # 4491-2207-33 into the review.",
            "4491-2207-33",
        ),
        ("record_number", "The card shows Member ID XZQ884412931.", "XZQ884412931"),
        ("date", "A patient (DOB 4/12/1961) posted on our page.", "4/12/1961"),
        ("date", "She was admitted on March 3, 2024 after the fall.", "March 3, 2024"),
        ("date", "His family says he died on 12-30-2023 in our ICU.", "12-30-2023"),
        ("date", "She was discharged on the 14th of March.", "14th of March"),
        ("age", "Our 93-year-old patient wants to be in the video.", "93-year-old"),
        ("age", "His grandmother, aged 101, waited six hours.", "101"),
        ("age", "A ninety-two-year-old patient reviewed us.", "ninety-two-year-old"),
        (
            "address",
            "The reviewer lives at 42 Elm Street, Springfield.",
            "42 Elm Street",
        ),
        (
            "address",
            "Mail it to 17 Maple Ave Apt 3B, she wrote.",
            "17 Maple Ave Apt 3B",
        ),
        ("address", "Send his things to PO Box 4471, Bangor.", "PO Box 4471"),
        ("zip", "She drove in from ZIP 02139 for the scan.", "02139"),
        ("zip", "The form says Springfield, MA 01103 at the bottom.", "01103"),
        (
            "url",
            "She posted at facebook.com/maria.gonzalez.5 about us.",
            "facebook.com/maria.gonzalez.5",
        ),
        (
            "url",
            "The fundraiser is https://www.gofundme.com/f/help-dave.",
            "https://www.gofundme.com/f/help-dave",
        ),
        ("ip", "Our logs say IP 192.168.14.2 left the review.", "192.168.14.2"),
        (
            "ip",
            "Every review came from 2001:db8:85a3::8a2e:370:7334.",
            "2001:db8:85a3::8a2e:370:7334",
        ),
        (
            "device_id",
            "The pacemaker card shows serial SN 4471-AB-2290.",
            "4471-AB-2290",
        ),
        ("device_id", "The license plate 7ABC123 is readable in the video.", "7ABC123"),
        (
            "device_id",
            "MAC address 00:1A:2B:3C:4D:5E was in the screenshot.",
            "00:1A:2B:3C:4D:5E",
        ),
        ("name", "Our patient John Smith wants to share his story.", "John Smith"),
        (
            "name",
            "Maria Gonzalez, a patient in our cancer center, tagged us.",
            "Maria Gonzalez",
        ),
        ("name", "Her son, David Chen, posted a video from her room.", "David Chen"),
        ("name", "Mrs. Alvarez in room 412 keeps posting photos.", "Mrs. Alvarez"),
    ],
)
def test_each_safe_harbor_category_is_caught(
    kind: str, text: str, expected: str
) -> None:
    assert expected in kinds_in(text).get(kind, []), scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 we grew our Instagram following by 40%.",
        "20% of patients found us through Google.",
        "The scheduling tool costs $49.99 a month.",
        "#HIPAA #healthcaremarketing: which hashtags do you use?",
        "Do you tag @MayoClinic when you reshare their posts?",
        "We average 3 out of 5 stars on Google.",
        "Our page hit 1.2M followers last week.",
        "Hootsuite 4.12.3 broke our scheduled posts.",
        "We post at 9:30 am; our nurse line runs 24/7.",
        "Q3 2025 engagement was up 12.5% over Q2.",
        "Top 10 tips for replying to negative Google reviews.",
        "Is ICD-10 code E11.9 OK in an educational post?",
        "Firmware 3.2.1.7 fixed the alarm bug.",
        "The webinar is on March 3, 2024 at 2 pm ET.",
        "Our ED sees 90,000 visits a year, and our hospital turned 100 this spring.",
        "See https://www.mayoclinic.org/diseases-conditions/flu/syc-20351719 instead.",
        "Our pages are facebook.com/ClevelandClinic and tiktok.com/@nyulangone.",
        "Patient Experience Week is April 21-27; Dr. Priya Patel will go live.",
        "Our NPI is 1234567893 and our EIN is 12-3456789.",
    ],
)
def test_ordinary_posts_are_not_flagged(text: str) -> None:
    assert scan(text) == []


def test_the_more_specific_kind_wins_an_overlap() -> None:
    # The MRN's digits alone could pass for a local phone number after "call".
    text = "Call about MRN 555-0142 please."
    assert kinds_in(text) == {"record_number": ["555-0142"]}


def test_findings_are_sorted_and_do_not_overlap() -> None:
    text = (
        "Patient Linda Howard (MRN 4421987) called 314-555-0166 from 9 Birch Road, "
        "Dover, DE 19901; her son emailed l.howard@example.com."
    )
    findings = scan(text)
    assert [f.kind for f in findings] == [
        "name",
        "record_number",
        "phone",
        "address",
        "zip",
        "email",
    ]
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start


def test_every_kind_is_explained_in_plain_words() -> None:
    assert set(KIND_EXPLANATIONS) == set(KINDS)
    finding = scan("call me at (617) 555-0142")[0]
    assert finding.explanation == KIND_EXPLANATIONS["phone"]
    assert "phone number" in finding.explanation
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "email"  # type: ignore[misc]


def load_corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines()]


def test_corpus_is_large_and_labelled_both_ways() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 200
    labelled = {kind for post in corpus for kind in post["kinds"]}
    assert labelled == set(KINDS)
    assert all(post["phi"] == bool(post["kinds"]) for post in corpus)
    assert 0.4 < sum(post["phi"] for post in corpus) / len(corpus) < 0.6


def test_corpus_spans_match_the_text() -> None:
    for post in load_corpus():
        for finding in scan(post["text"]):
            assert post["text"][finding.start : finding.end] == finding.text


def test_corpus_precision_and_recall_meet_the_targets() -> None:
    corpus = load_corpus()
    flagged = [bool(scan(post["text"])) for post in corpus]
    hits = sum(f and p["phi"] for f, p in zip(flagged, corpus, strict=True))
    precision = hits / sum(flagged)
    recall = hits / sum(post["phi"] for post in corpus)
    assert recall >= 0.95
    assert precision >= 0.9


SIZE = 100_000
ADVERSARIAL = {
    "digits": "1",
    "spaces": " ",
    "dots": ".",
    "digits and dashes": "1-",
    "digits and dots": "1.",
    "digit pairs": "12 ",
    "at signs": "a@",
    "parentheses": "(",
    "colons": ":",
    "plus signs": "+1",
    "phone numbers": "(617) 555-0142 ",
    "names after patient": "patient Aa Bb ",
    "labels": "MRN 12-",
    "url": "http://a",
}


@pytest.mark.timeout(5)
@pytest.mark.parametrize("piece", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_100_kb_of_adversarial_text_scans_quickly(piece: str) -> None:
    text = (piece * (SIZE // len(piece) + 1))[:SIZE]
    for finding in scan(text):
        assert text[finding.start : finding.end] == finding.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -./()@:+#aAMRNSxe,\n", max_size=300))
def test_any_text_gives_valid_ordered_spans(text: str) -> None:
    findings = scan(text)
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.kind in KINDS
        assert text[finding.start : finding.end] == finding.text != ""
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start
