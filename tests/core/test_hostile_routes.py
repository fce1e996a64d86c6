"""Every route in the URL map, given out-of-range and malformed values, answers
without a server error: signed out, as a member and as an admin."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from portal.core.paging import MAX_ID
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    comment,
    make_admin,
    make_member,
    sign_in,
)

HOSTILE = [
    "0",
    "-1",
    str(MAX_ID + 1),  # the first id a 32-bit id column cannot hold
    str(2**63),
    str(10**20),
    "9" * 5000,  # past Python's 4300-digit limit for int()
    "abc",
    "\x00",
    "x" * 5000,
    "Zoë 日本 \u202e",
    "١٢",  # Arabic-Indic digits: \d matches them
]
# In query strings and forms: page numbers and ids past any range, and garbage.
ARGUMENT_VALUES = ["0", "-1", str(2**63), "9" * 5000, "abc", "\x00", "Zoë 日本 \u202e"]
QUERY_NAMES = ["page", "questions", "answers", "sort", "tag", "status", "q"]
QUERY_NAMES += ["residency", "expiring", "user", "action", "next", "kind"]
FORM_NAMES = ["page", "exclude", "value", "title", "q", "name", "next"]
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
# Last, so the client stays signed in for the rest of the walk.
SIGNS_OUT = {"auth.logout"}


def names_in(rule) -> list[str]:
    """The names of the rule's arguments, in order."""
    return ARGUMENT.findall(rule.rule)


def paths(rule) -> list[str]:
    """The rule's path with each hostile value in turn for each argument."""
    names = names_in(rule)
    if not names:
        return [rule.rule]
    return [
        fill(rule, dict.fromkeys(names, "1") | {name: value})
        for name in names
        for value in HOSTILE
    ]


def fill(rule, values: dict[str, str]) -> str:
    return ARGUMENT.sub(lambda m: quote(values[m.group(1)], safe=""), rule.rule)


def requests_for(rule, known: dict[str, str]):
    """(method, url, form) for the rule: hostile values in its path, and in the
    query and form (page numbers, ids, filters) of a path that exists."""
    methods = sorted(rule.methods & {"GET", "POST"})
    found = [(method, path, None) for path in paths(rule) for method in methods]
    names = names_in(rule)
    real = fill(rule, {name: known.get(name, "1") for name in names})
    for value in ARGUMENT_VALUES:
        if "GET" in methods:
            query = urlencode(dict.fromkeys(QUERY_NAMES, value))
            found.append(("GET", f"{real}?{query}", None))
        # A post to a real question or member could delete or change it.
        if "POST" in methods and not names:
            found.append(("POST", real, dict.fromkeys(FORM_NAMES, value)))
    return found


def walk(client, rules, known: dict[str, str]) -> list[str]:
    errors = []
    for rule in rules:
        for method, url, form in requests_for(rule, known):
            try:
                response = client.open(url, method=method, data=form)
            except Exception as error:  # the test app lets errors through
                db.session.rollback()
                errors.append(f"{type(error).__name__} {method} {url[:120]}")
                continue
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {method} {url[:120]}")
            response.close()
    return errors


def test_no_route_answers_hostile_values_with_a_server_error(app):
    member, admin = make_member(), make_admin()
    question = ask(member)
    reply = answer(admin, question)
    comment(member, question, on=reply)
    known = {
        "question_id": str(question.id),
        "post_id": str(question.id),
        "answer_id": str(reply.id),
        "user_id": str(member.id),
        "name": "facebook",
    }
    rules = sorted(
        app.url_map.iter_rules(), key=lambda r: (r.endpoint in SIGNS_OUT, r.rule)
    )
    clients = {
        "signed out": app.test_client(),
        "member": sign_in(app.test_client(), member),
        "admin": sign_in(app.test_client(), admin),
    }
    errors = []
    for who, client in clients.items():
        errors += [f"{who}: {error}" for error in walk(client, rules, known)]
    assert errors == [], "\n".join(errors)
