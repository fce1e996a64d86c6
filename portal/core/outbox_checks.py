"""What the mail worker asks before it sends: is what this mail is about still
fit to go out?

A message may name what it is about (``OutboxMessage.refs``, "kind:id"). Each
feature registers a check for its kinds: the board holds mail about a post
under review and cancels mail about a deleted one; membership cancels an
invitation or a term notice to someone revoked since; auth cancels an
invitation to an account claimed meanwhile. ``core.mail`` applies the verdicts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

# What a check says of a ref it does not pass: wait, or never send.
HOLD, CANCEL = "hold", "cancel"
Check = Callable[[set[int]], dict[int, str]]
_checks: dict[str, dict[str, Check]] = defaultdict(dict)


def register_check(kind: str, check: Check, *, name: str) -> None:
    """``check(ids)`` returns HOLD or CANCEL for the ids of ``kind`` whose mail
    must not go now; ids it leaves out are fine to send. Several features may
    check one kind, each under its own ``name`` (registering again replaces
    it); the sternest verdict wins."""
    _checks[kind][name] = check


def _said(kind: str, ids: set[int]) -> dict[int, str]:
    verdicts: dict[int, str] = {}
    for check in _checks[kind].values():
        for id_, verdict in check(ids).items():
            if verdicts.get(id_) != CANCEL:
                verdicts[id_] = verdict
    return verdicts


def ref(kind: str, id_: int) -> str:
    return f"{kind}:{id_}"


def _checked_refs(refs: list[str] | None) -> list[tuple[str, int]]:
    """The "kind:id" refs some feature checks, parsed."""
    parsed = (item.partition(":") for item in refs or [])
    return [
        (kind, int(id_)) for kind, _, id_ in parsed if kind in _checks and id_.isdigit()
    ]


def verdicts(messages: Iterable[tuple[int, list[str] | None]]) -> dict[int, str]:
    """HOLD or CANCEL per message id (absent: send), one check call per kind."""
    listed = [(message_id, _checked_refs(refs)) for message_id, refs in messages]
    wanted: dict[str, set[int]] = defaultdict(set)
    for _, refs in listed:
        for kind, id_ in refs:
            wanted[kind].add(id_)
    said = {kind: _said(kind, ids) for kind, ids in wanted.items()}
    result: dict[int, str] = {}
    for message_id, refs in listed:
        answers = {said[kind].get(id_) for kind, id_ in refs}
        if CANCEL in answers:
            result[message_id] = CANCEL
        elif HOLD in answers:
            result[message_id] = HOLD
    return result
