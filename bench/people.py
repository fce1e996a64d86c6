"""Residencies, accounts, profiles and memberships in every status.

Residencies are spread evenly from about 3.3 years ago to six weeks ahead, so
every status occurs naturally: graduates of the last year are current (those of
about a year ago expiring soon), older ones renewed or lapsed into grace and
then expiry, the next residencies' graduates are upcoming; a few members are
revoked or suspended by an admin.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.dataset import ADMIN_EMAIL, ADMIN_TOTP_SECRET, MEMBER_EMAIL, Size
from bench.ledger import GRACE, RESIDENCY, History, TermPlan, at, plan_history, replay
from bench.ledger import term_rows as ledger_terms
from portal.membership.status import Status
from portal.membership.terms import term_end

FIRST = [
    "Maria",
    "Sam",
    "Lee",
    "Aisha",
    "Jonas",
    "Priya",
    "Tom",
    "Elena",
    "Kwame",
    "Sofia",
    "Daniel",
    "Mei",
    "Omar",
    "Grace",
    "Luca",
    "Nadia",
    "Peter",
    "Rosa",
    "Hiro",
    "Chloe",
    "Ahmed",
    "Ines",
    "Victor",
    "Zoe",
    "Ben",
    "Anna",
    "Diego",
]
LAST = [
    "Lopez",
    "Okafor",
    "Nguyen",
    "Schmidt",
    "Patel",
    "Brown",
    "Rossi",
    "Kim",
    "Haddad",
    "Johansson",
    "Silva",
    "Cohen",
    "Mensah",
    "Tanaka",
    "Dubois",
    "Kowalski",
    "Murphy",
    "Singh",
    "Garcia",
    "Novak",
    "Ibrahim",
    "Walsh",
]
CITIES = [
    "Boston",
    "Chicago",
    "Denver",
    "Atlanta",
    "Seattle",
    "Austin",
    "Toronto",
    "Phoenix",
    "Nashville",
    "Portland",
    "Baltimore",
    "Minneapolis",
    "Cleveland",
]
ORGANISATIONS = [
    "Mercy General",
    "St. Luke's Health",
    "Riverside Clinic",
    "Northside Children's",
    "University Medical Center",
    "Lakeview Cardiology",
    "Valley Family Practice",
    "County Hospital",
    "Harbor Orthopedics",
    "Summit Cancer Institute",
]
TITLES = [
    "Resident",
    "Attending physician",
    "Communications manager",
    "Nurse educator",
    "Digital strategist",
    "Chief resident",
    "Marketing director",
    "Program director",
]
SPECIALTIES = [
    "Dermatology",
    "Pediatrics",
    "Cardiology",
    "Family medicine",
    "Oncology",
    "Orthopedics",
    "Emergency medicine",
    "Psychiatry",
    "Communications",
]
PLATFORMS = ["instagram", "tiktok", "linkedin", "facebook", "youtube", "x-twitter"]


@dataclass
class Member:
    """An account that may post: when (windows) and how much (weight)."""

    user_id: int
    windows: list[tuple[datetime, datetime]]
    weight: float


@dataclass
class People:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    admin_id: int = 1
    member_id: int = 2

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    def extend(self, more: dict[str, list[dict[str, Any]]]) -> None:
        for table, rows in more.items():
            self.rows.setdefault(table, []).extend(rows)


def stamp(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()


def _residencies(people: People, size: Size, today: date) -> list[tuple[int, date]]:
    first, last = today - timedelta(days=1210), today + timedelta(days=40)
    step = (last - first) / (size.residencies - 1)
    held: list[tuple[int, date]] = []
    for n in range(size.residencies):
        rid, day = n + 1, first + step * n
        city = CITIES[n % len(CITIES)]
        created = min(at(day - timedelta(days=45)), at(today - timedelta(days=1)))
        people.add(
            "residency",
            {
                "id": rid,
                "name": f"Social Media Residency {city} {day:%B %Y}",
                "location": city,
                "held_on": day,
                "notes": None,
                "created_at": created,
            },
        )
        people.add(
            "membership_audit",
            {
                "at": created,
                "action": "residency_add",
                "actor_id": people.admin_id,
                "membership_id": None,
                "user_id": None,
                "reason": None,
                "end_before": None,
                "end_after": None,
                "detail": {
                    "residency_id": rid,
                    "name": f"Social Media Residency {city}",
                },
            },
        )
        held.append((rid, day))
    return held


def _account(
    rng: random.Random, uid: int, created: datetime, now: datetime, password: str
) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    claimed = min(created + timedelta(hours=rng.randint(1, 240)), now)
    login = claimed + (now - claimed) * rng.random()
    return {
        "id": uid,
        "email": f"{first}.{last}.{uid}@example.org".lower(),
        "name": f"{first} {last}",
        "password_hash": password,
        "role": "member",
        "security_stamp": stamp(rng),
        "created_at": created,
        "invited_at": created,
        "claimed_at": claimed,
        "last_login_at": login,
        "totp_secret": None,
        "totp_enabled_at": None,
        "totp_last_step": None,
    }


def _profile(rng: random.Random, uid: int, updated: datetime) -> dict[str, Any]:
    return {
        "user_id": uid,
        "title": rng.choice(TITLES),
        "organisation": rng.choice(ORGANISATIONS),
        "specialty": rng.choice(SPECIALTIES),
        "platforms": rng.sample(PLATFORMS, rng.randint(1, 3)),
        "bio": "Graduate of the Social Media Residency.",
        "directory_opt_in": rng.random() < 0.5,
        "updated_at": updated,
    }


def _flags(rng: random.Random, history: History, today: date, now: datetime) -> None:
    """A few revocations, and suspensions of current members."""
    start = history.terms[0].start
    if start > today:
        return
    if rng.random() < 0.015:
        begin = max(at(start), now - timedelta(days=400))
        history.revoked_at = begin + (now - begin) * rng.random()
    elif rng.random() < 0.015 and history.status_on(now) is Status.CURRENT:
        history.suspended_at = now - timedelta(days=rng.randint(1, 30), hours=3)
        history.suspended_until = today + timedelta(days=rng.randint(1, 120))


def _membership(
    people: People,
    rng: random.Random,
    uid: int,
    history: History,
    today: date,
    now: datetime,
) -> None:
    row = replay(history, uid, uid, people.admin_id, today, now)
    people.add("membership", row)
    people.extend(history.rows)
    people.rows.setdefault("term", []).extend(
        ledger_terms(history, uid, people.admin_id)
    )
    weight = rng.paretovariate(1.8)
    people.members.append(Member(uid, history.posting_windows(now), weight))


def build_people(size: Size, rng: random.Random, today: date, password: str) -> People:
    now = at(today, datetime.min.time().replace(tzinfo=UTC))
    people = People()
    since = now - timedelta(days=1300)
    people.add(
        "user_account",
        {
            **_account(rng, 1, since, now, password),
            "email": ADMIN_EMAIL,
            "name": "Bench Admin",
            "role": "admin",
            # Admins sign in with a second factor; the load test enters its codes.
            "totp_secret": ADMIN_TOTP_SECRET,
            "totp_enabled_at": since,
        },
    )
    people.members.append(Member(1, [(since, now)], 0.5))
    residencies = _residencies(people, size, today)
    for uid in range(2, size.members + 2):
        rid, held = residencies[0] if uid == 2 else rng.choice(residencies)
        created = min(at(held - timedelta(days=rng.randint(3, 14))), now - timedelta(1))
        first = TermPlan(
            held,
            term_end(held),
            RESIDENCY,
            created,
            residency_id=rid,
            reason="Graduated from the residency",
        )
        history = plan_history(rng, first, today, keep_current=uid == 2)
        if uid != 2:
            _flags(rng, history, today, now)
        account = _account(rng, uid, created, now, password)
        if uid == 2:
            account.update(email=MEMBER_EMAIL, name="Bench Member")
        people.add("user_account", account)
        if uid == 2 or rng.random() < 0.6:
            people.add("member_profile", _profile(rng, uid, account["claimed_at"]))
        if uid == 2:
            # The benchmark reads the board as an established member, whose
            # first-run checklist closed long ago: the home page skips it.
            closed = account["claimed_at"]
            people.add(
                "member_checklist",
                {
                    "user_id": uid,
                    "guide_read_at": closed,
                    "dismissed_at": None,
                    "completed_at": closed,
                },
            )
        _membership(people, rng, uid, history, today, now)
    people.members[1].weight = sorted(m.weight for m in people.members)[-10]
    _imports(people, residencies)
    return people


def _imports(people: People, residencies: list[tuple[int, date]]) -> None:
    """One ``import`` audit entry per residency, as the roster import writes."""
    graduates: dict[int, list[dict[str, Any]]] = {}
    for term in people.rows["term"]:
        if term["residency_id"] is not None:
            graduates.setdefault(term["residency_id"], []).append(term)
    for rid, _held in residencies:
        terms = graduates.get(rid, [])
        if not terms:
            continue
        people.add(
            "membership_audit",
            {
                "at": max(t["created_at"] for t in terms),
                "action": "import",
                "actor_id": people.admin_id,
                "membership_id": None,
                "user_id": None,
                "reason": "Graduated from the residency",
                "end_before": None,
                "end_after": None,
                "detail": {
                    "residency_id": rid,
                    "lines": len(terms),
                    "new": len(terms),
                    "extends": 0,
                    "already": 0,
                },
            },
        )


def status_counts(people: People, today: date) -> dict[str, int]:
    """For the progress report: how many memberships are in each status."""
    counts: dict[str, int] = {}
    for row in people.rows["membership"]:
        if row["revoked_at"] is not None:
            status = "revoked"
        elif row["suspended_until"] and row["suspended_until"] >= today:
            status = "suspended"
        elif row["starts_on"] > today:
            status = "upcoming"
        elif row["ends_on"] >= today:
            days = (row["ends_on"] - today).days
            status = "expiring" if days <= 30 else "current"
        elif (today - row["ends_on"]).days <= GRACE:
            status = "grace"
        else:
            status = "expired"
        counts[status] = counts.get(status, 0) + 1
    return counts
