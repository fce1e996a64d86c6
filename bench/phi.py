"""Accuracy and speed of the patient-information guard.

    .venv/bin/python -m bench.phi             # the shipped detector
    .venv/bin/python -m bench.phi --compare   # plus the alternatives we measured

Accuracy is measured on tests/data/phi_corpus.jsonl. At the text level a post is
predicted to hold PHI when scan() finds anything; at the kind level a labelled
kind counts as found when scan() reports that kind anywhere in the post.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from portal.core import phi
from portal.core.phi import numbers as phi_numbers
from portal.core.phi.numbers import PHONE, find_phones
from portal.core.phi.words import PostText

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "phi_corpus.jsonl"
SIZE = 100_000

Detector = Callable[[str], set[str]]


@dataclass
class Post:
    text: str
    phi: bool
    kinds: set[str]
    # "main" (written before the detector), "holdout" (written after it, scored
    # once before any change) or "known_limits" (posts we know it misses).
    set: str


def load_corpus(path: Path = CORPUS) -> list[Post]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return [
        Post(row["text"], row["phi"], set(row["kinds"]), row.get("set", "main"))
        for row in rows
    ]


def shipped(text: str) -> set[str]:
    return {finding.kind for finding in phi.scan(text)}


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def text_level(
    posts: Sequence[Post], detect: Detector
) -> tuple[float, float, int, int]:
    predicted = [bool(detect(post.text)) for post in posts]
    tp = sum(p and post.phi for p, post in zip(predicted, posts, strict=True))
    fp = sum(p and not post.phi for p, post in zip(predicted, posts, strict=True))
    fn = sum(not p and post.phi for p, post in zip(predicted, posts, strict=True))
    return ratio(tp, tp + fp), ratio(tp, tp + fn), fp, fn


def kind_level(
    posts: Sequence[Post], detect: Detector, kinds: Iterable[str]
) -> dict[str, tuple[float, float, int]]:
    found = [detect(post.text) for post in posts]
    table = {}
    for kind in kinds:
        tp = sum(
            kind in f and kind in p.kinds for f, p in zip(found, posts, strict=True)
        )
        fp = sum(
            kind in f and kind not in p.kinds for f, p in zip(found, posts, strict=True)
        )
        labelled = sum(kind in p.kinds for p in posts)
        table[kind] = (ratio(tp, tp + fp), ratio(tp, labelled), labelled)
    return table


def report_accuracy(posts: Sequence[Post]) -> None:
    print_text_level("whole corpus", posts)
    for name in ("main", "holdout", "known_limits"):
        print_text_level(f"  {name}", [post for post in posts if post.set == name])
    print(f"\n{'kind':<14} {'precision':>9} {'recall':>7} {'posts':>6}")
    for kind, (p, r, n) in kind_level(posts, shipped, phi.KINDS).items():
        print(f"{kind:<14} {p:>9.3f} {r:>7.3f} {n:>6}")
    print()
    for post in posts:
        found = phi.scan(post.text)
        if bool(found) != post.phi:
            label = "missed" if post.phi else "false alarm"
            print(f"  {label} ({post.set}): {post.text[:80]!r}")


def print_text_level(name: str, posts: Sequence[Post]) -> None:
    precision, recall, fp, fn = text_level(posts, shipped)
    positives = sum(post.phi for post in posts)
    print(
        f"{name:<14} {len(posts):>4} posts ({positives:>3} with PHI): "
        f"precision {precision:.3f}  recall {recall:.3f}  "
        f"(false alarms {fp}, misses {fn})"
    )


def realistic_post(posts: Sequence[Post]) -> str:
    """About 100 KB of board text, identifiers and all."""
    text, index = "", 0
    while len(text) < SIZE:
        text += posts[index % len(posts)].text + "\n\n"
        index += 1
    return text[:SIZE]


def adversarial_inputs() -> dict[str, str]:
    pieces = {
        "digits": "1",
        "spaces": " ",
        "dots": ".",
        "1-1-1-": "1-",
        "1.1.1.": "1.",
        "12 12 12": "12 ",
        "a@a@a@": "a@",
        "a.a.a.": "a.",
        "(((((": "(",
        "::::": ":",
        "+1+1+1": "+1",
        "phone numbers": "(617) 555-0142 ",
        "distinct phones": "",
        "Patient A B C": "patient Aa Bb ",
        "http://a": "http://a",
        "42 Elm Elm": "42 Elm ",
        "MRN MRN": "MRN 12-",
    }
    texts = {
        name: (piece * (SIZE // len(piece) + 1))[:SIZE]
        for name, piece in pieces.items()
        if piece
    }
    texts["distinct phones"] = " ".join(
        f"({200 + i % 700}) 555-{i % 10_000:04d}" for i in range(SIZE // 15)
    )[:SIZE]
    return texts


def best_ms(function: Callable[[str], object], text: str, repeat: int = 5) -> float:
    """CPU time of the fastest run: other work on the machine inflates wall time."""
    timings = []
    for _ in range(repeat):
        started = time.process_time()
        function(text)
        timings.append((time.process_time() - started) * 1000)
    return min(timings)


def report_speed(posts: Sequence[Post]) -> None:
    post = realistic_post(posts)
    found = len(phi.scan(post))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nspeed: CPU ms, best of 5, {SIZE // 1000} KB each (load average {load})")
    print(f"  realistic post: {best_ms(phi.scan, post):7.1f} ms ({found} findings)")
    for name, text in adversarial_inputs().items():
        print(f"  {name:<15} {best_ms(phi.scan, text):7.1f} ms")


NANP = re.compile(r"(?:\+?1[ .-]?)?\(?([2-9]\d\d)\)?[ .-]?([2-9]\d\d)[ .-]?\d{4}$")


def regex_only_phones(text: str) -> set[str]:
    """The alternative to libphonenumber: the same candidates, NANP shape rules.

    Area code and exchange start with 2-9 and are not N11; any number written
    with a + and a country code other than 1 counts.
    """
    found = set()
    for match in PHONE.finditer(text):
        end = match.start("extension")
        number = text[match.start() : end if end >= 0 else match.end()]
        digits = sum(char.isdigit() for char in number)
        if digits == 7:
            if phi_numbers._cued(text, match.start()):
                found.add("phone")
        elif number.startswith("+") and not number.startswith("+1"):
            if 8 <= digits <= 15:
                found.add("phone")
        elif (shape := NANP.match(number)) and not shape[1].endswith("11"):
            found.add("phone")
    return found


def matcher_phones(leniency: phonenumbers.Leniency) -> Detector:
    def detect(text: str) -> set[str]:
        matches = phonenumbers.PhoneNumberMatcher(text, "US", leniency=leniency)
        return {"phone"} if list(matches) else set()

    return detect


def regex_plus_libphonenumber(text: str) -> set[str]:
    return {"phone"} if list(find_phones(PostText(text))) else set()


def compare_phones(posts: Sequence[Post]) -> None:
    print("\nphone numbers: kind-level precision, recall; worst adversarial 100 KB")
    adversarial = adversarial_inputs()
    strategies: dict[str, Detector] = {
        "regex candidates + libphonenumber (shipped)": regex_plus_libphonenumber,
        "regex candidates + NANP shape rules": regex_only_phones,
        "PhoneNumberMatcher VALID": matcher_phones(phonenumbers.Leniency.VALID),
        "PhoneNumberMatcher POSSIBLE": matcher_phones(phonenumbers.Leniency.POSSIBLE),
    }
    for name, detect in strategies.items():
        p, r, _ = kind_level(posts, detect, ["phone"])["phone"]
        worst = max(best_ms(detect, text, repeat=1) for text in adversarial.values())
        print(f"  {name:<44} P {p:.3f}  R {r:.3f}  worst {worst:8.1f} ms")
    compare_presidio(posts)


PRESIDIO_KINDS = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "US_SSN": "ssn",
    "IP_ADDRESS": "ip",
    "URL": "url",
    "DATE_TIME": "date",
    "US_DRIVER_LICENSE": "record_number",
}


def compare_presidio(posts: Sequence[Post]) -> None:
    """presidio-analyzer's pattern recognizers, run without a language model."""
    try:
        from presidio_analyzer import predefined_recognizers as pr
    except ImportError:
        print("\npresidio-analyzer is not installed; pip install it to compare")
        return
    recognizers = [
        pr.EmailRecognizer(),
        pr.PhoneRecognizer(),
        pr.UsSsnRecognizer(),
        pr.IpRecognizer(),
        pr.UrlRecognizer(),
        pr.DateRecognizer(),
        pr.UsLicenseRecognizer(),
    ]

    def detect(text: str) -> set[str]:
        kinds = set()
        for recognizer in recognizers:
            for result in recognizer.analyze(text, recognizer.supported_entities, None):
                if result.score >= 0.5 or result.entity_type == "PHONE_NUMBER":
                    kinds.add(PRESIDIO_KINDS[result.entity_type])
        return kinds

    kinds = sorted(set(PRESIDIO_KINDS.values()))
    ours = kind_level(posts, shipped, kinds)
    theirs = kind_level(posts, detect, kinds)
    print("\npresidio pattern recognizers (score >= 0.5) vs shipped, kind level")
    for kind in kinds:
        (p1, r1, _), (p2, r2, _) = ours[kind], theirs[kind]
        print(f"  {kind:<14} presidio P {p2:.3f} R {r2:.3f}", end="")
        print(f"   shipped P {p1:.3f} R {r1:.3f}")
    started = time.perf_counter()
    for post in posts:
        detect(post.text)
    per_post = (time.perf_counter() - started) * 1000 / len(posts)
    print(f"  presidio: {per_post:.2f} ms per corpus post;", end=" ")
    started = time.perf_counter()
    for post in posts:
        phi.scan(post.text)
    print(f"shipped: {(time.perf_counter() - started) * 1000 / len(posts):.2f} ms")
    worst = statistics.mean(
        best_ms(detect, t, 1) for t in list(adversarial_inputs().values())[:4]
    )
    print(f"  presidio mean over first 4 adversarial inputs: {worst:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="measure alternatives")
    args = parser.parse_args()
    posts = load_corpus()
    report_accuracy(posts)
    report_speed(posts)
    if args.compare:
        compare_phones(posts)


if __name__ == "__main__":
    main()
