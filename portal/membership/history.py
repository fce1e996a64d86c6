"""Audit entries as sentences an admin reads at a glance.

"Extended by Avery Admin: ends 22 Aug 2027 (was 22 Aug 2026)." The log keeps
structured columns (``AuditEntry``); this is only how the screens and the member
history say them. An action without a sentence of its own (a feature's new one)
still reads well: its name, who did it, and its details as "key: value".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from portal.core.templating import format_date
from portal.membership import bp
from portal.membership.models import AuditEntry
from portal.membership.services import audit


def actor_name(entry: AuditEntry) -> str:
    return entry.actor.name if entry.actor else "the system"


def _day(value: date | str | None) -> str:
    if isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return format_date(value) or "—"


def _status(value: Any) -> str:
    return str(value).replace("_", " ") if value else "none"


def _grant(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    start = f"from {_day(d['start'])} " if d.get("start") else ""
    return f"Granted by {by}: member {start}to {_day(e.end_after)}."


def _extend(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    was = f" (was {_day(e.end_before)})" if e.end_before else ""
    return f"Extended by {by}: ends {_day(e.end_after)}{was}."


def _standing(verb: str) -> Callable[[AuditEntry, dict[str, Any], str], str]:
    def say(e: AuditEntry, d: dict[str, Any], by: str) -> str:
        until = f" until {_day(d['until'])}" if d.get("until") else ""
        now = f": now {_status(d['status_after'])}" if d.get("status_after") else ""
        told = ""
        if d.get("member_notified"):
            told = (
                " The member was told why."
                if d.get("reason_told")
                else (" The member was told, without the reason.")
            )
        return f"{verb} by {by}{until}{now}.{told}"

    return say


def _status_change(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    return f"Became {_status(d.get('to'))} (was {_status(d.get('from'))})."


def _role(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    return f"Role changed by {by}: {_status(d.get('from'))} → {_status(d.get('to'))}."


def _email(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    return f"Email corrected by {by}: {d.get('from')} → {d.get('to')}."


def _import(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    lines = d.get("lines")
    count = f" ({lines} line{'' if lines == 1 else 's'})" if lines else ""
    return f"Roster imported by {by}{count}."


def _export(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    rows = d.get("rows")
    what = "Audit log" if d.get("what") == "audit" else "Members"
    count = f" ({rows} row{'' if rows == 1 else 's'})" if rows is not None else ""
    return f"{what} exported by {by}{count}."


def _residency_add(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    return f"Residency “{d.get('name', '')}” added by {by}."


def _setting(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    if d.get("setting") and isinstance(d.get("value"), bool):
        state = "on" if d["value"] else "off"
        return f"{str(d['setting']).capitalize()} switched {state} by {by}."
    return f"Setting changed by {by}."


def _profile(e: AuditEntry, d: dict[str, Any], by: str) -> str:
    changes = [
        f"{name} “{change.get('from') or '—'}” → “{change.get('to')}”"
        for name, change in sorted(d.items())
        if isinstance(change, dict)
    ]
    return f"Profile updated by {by} from a roster: {'; '.join(changes)}."


SENTENCES: dict[str, Callable[[AuditEntry, dict[str, Any], str], str]] = {
    audit.GRANT: _grant,
    audit.EXTEND: _extend,
    audit.REVOKE: _standing("Revoked"),
    audit.SUSPEND: _standing("Suspended"),
    audit.REINSTATE: _standing("Reinstated"),
    audit.STATUS_CHANGE: _status_change,
    audit.ROLE_CHANGE: _role,
    audit.EMAIL_CORRECT: _email,
    audit.INVITATION_RESEND: lambda e, d, by: f"Invitation sent again by {by}.",
    audit.IMPORT: _import,
    audit.EXPORT: _export,
    audit.RESIDENCY_ADD: _residency_add,
    audit.RESIDENCY_EDIT: lambda e, d, by: f"Residency details edited by {by}.",
    audit.SETTING_CHANGE: _setting,
    audit.PROFILE_UPDATE: _profile,
    audit.RENEWAL_DECLINE: lambda e, d, by: f"Renewal request declined by {by}.",
}


Say = Callable[[AuditEntry, dict[str, Any], str], str]


def register_sentence(action: str, say: Say) -> None:
    """A feature above membership (moderation) says its own entries."""
    SENTENCES[action] = say


@bp.app_template_filter("audit_sentence")
def sentence(entry: AuditEntry) -> str:
    """What happened, in one sentence naming who did it (not the reason)."""
    detail = dict(entry.detail or {})
    by = actor_name(entry)
    say = SENTENCES.get(entry.action)
    if say is not None:
        return say(entry, detail, by)
    what = entry.action.replace("_", " ").capitalize()
    shown = [
        f"{key.replace('_', ' ')}: {value}"
        for key, value in sorted(detail.items())
        if value not in (None, "", [], {})
    ]
    return f"{what} by {by}" + (f" ({'; '.join(shown)})." if shown else ".")
