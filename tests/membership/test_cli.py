"""``flask residencies`` and ``flask members``: happy paths and one-line errors."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.core import time
from portal.core.mail import deliver_pending
from portal.core.models import OutboxMessage
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership, Residency, Term
from portal.membership.services.grants import find_membership
from portal.membership.terms import term_end
from tests.factories import add_residency, make_graduate, make_user


def run(runner, *args: str):
    return runner.invoke(args=list(args))


def one_error(result, text: str) -> None:
    """Non-zero exit and a single line that says what is wrong."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ") and text in lines[0], lines[0]


def count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_residencies_add_and_list(runner):
    result = run(
        runner, "residencies", "add", "Lisbon 2026", "--location", "Lisbon",
        "--date", "2026-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    residency_id = db.session.scalar(select(Residency.id))
    assert (
        result.output == f"Residency {residency_id}: Lisbon 2026, Lisbon, 2026-03-01\n"
    )
    listed = json.loads(run(runner, "residencies", "list", "--json").output)
    assert listed == [
        {
            "id": residency_id,
            "name": "Lisbon 2026",
            "location": "Lisbon",
            "date": "2026-03-01",
            "notes": None,
            "graduates": 0,
        }
    ]
    assert (
        "Lisbon 2026 (Lisbon): 0 graduates" in run(runner, "residencies", "list").output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--location", "L", "--date", "2026-02-30"],
            "--date: 2026-02-30 is no such day: February 2026 has 28 days.",
        ),
        (["--location", "L", "--date", "2026-13-01"], "there is no month 13"),
        (["--location", "L", "--date", "yesterday"], "--date must be a date"),
        (["--location", " ", "--date", "2026-02-01"], "A location is required."),
    ],
)
def test_residencies_add_refuses_bad_input(runner, args, message):
    one_error(run(runner, "residencies", "add", "Name", *args), message)


@pytest.fixture
def roster_file(tmp_path):
    def write(text: str) -> str:
        path = tmp_path / "roster.csv"
        path.write_bytes(text.encode("utf-8-sig"))
        return str(path)

    return write


def test_members_import_dry_run_then_import(app, runner, roster_file):
    residency = add_residency(date(2026, 3, 1))
    path = roster_file("email,name\na@example.org,Ann\nb@example.org,Bo\n")
    dry = run(
        runner, "members", "import", path, "--residency", str(residency.id), "--dry-run"
    )
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[-1] == (
        "Dry run, nothing written: 2 new, 0 extended, 0 already granted, 0 with errors"
    )
    assert count(Membership) == 0
    done = run(runner, "members", "import", path, "--residency", str(residency.id))
    assert done.exit_code == 0, done.output
    assert "Imported into Residency Lisbon: 2 new" in done.output
    again = run(runner, "members", "import", path, "--residency", str(residency.id))
    assert "0 new, 0 extended, 2 already granted" in again.output
    assert count(Term) == 2


def test_members_import_with_start_override(app, runner, roster_file):
    residency = add_residency(date(2026, 3, 1))
    path = roster_file("email,name\na@example.org,Ann\n")
    result = run(
        runner, "members", "import", path, "--residency", str(residency.id),
        "--start", "2026-04-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(Term)).one().starts_on == date(2026, 4, 1)


def test_members_import_reports_every_bad_line_and_imports_nothing(
    app, runner, roster_file
):
    residency = add_residency(date(2026, 3, 1))
    path = roster_file(
        "email,name\nok@example.org,Ok\nbad,Bad\nok@example.org,Again\n,X\n"
    )
    result = run(runner, "members", "import", path, "--residency", str(residency.id))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in errors[:-1]] == [
        "line 3",
        "line 4",
        "line 5",
    ]
    assert errors[-1] == "Error: The roster has 3 errors; nothing was imported."
    assert count(Membership) == 0


def import_args(path: str, residency, *extra: str) -> list[str]:
    return ["members", "import", path, "--residency", str(residency.id), *extra]


def test_members_import_dry_run_prints_every_line_with_its_outcome_and_dates(
    app, runner, roster_file
):
    today = time.today()
    residency = add_residency(today - timedelta(days=10))
    make_graduate("known@example.org", start=today - timedelta(days=100))
    path = roster_file(
        "email,name,phone\na@example.org,Ann,1\nknown@example.org,Grace Graduate,2\n"
    )
    dry = runner.invoke(args=[*import_args(path, residency), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    first = residency.held_on
    known_end = find_membership(
        db.session.scalars(select(Membership)).one().user
    ).ends_on
    assert dry.stdout.splitlines() == [
        "Read as UTF-8, values separated by commas.",
        "line 2     new             a@example.org  Ann",
        f"           {first.isoformat()} → {term_end(first).isoformat()}",
        "line 3     extends         known@example.org  Grace Graduate",
        f"           {(known_end + timedelta(days=1)).isoformat()} → "
        f"{term_end(known_end + timedelta(days=1)).isoformat()}",
        "Dry run, nothing written: 1 new, 1 extended, 0 already granted, 0 with errors",
    ]
    assert dry.stderr.startswith("Warning: Columns not imported: phone.")
    assert count(Term) == 1


def test_members_import_dry_run_with_one_error_says_one_error(app, runner, roster_file):
    residency = add_residency(time.today())
    path = roster_file("email,name\na@example.org,Ann\nbad,Bo\n")
    dry = runner.invoke(args=[*import_args(path, residency), "--dry-run"])
    assert dry.exit_code == 1
    assert "line 3     error           bad" in dry.stdout
    assert dry.stderr.splitlines()[-2:] == [
        "line 3: The email address 'bad' is not valid: An email address must have "
        "an @-sign.",
        "Error: The roster has 1 error; fix the file and try again.",
    ]
    result = runner.invoke(args=import_args(path, residency))
    assert result.stderr.splitlines()[-1] == (
        "Error: The roster has 1 error; nothing was imported."
    )


def test_members_import_no_invite_sends_nothing(app, runner, roster_file):
    residency = add_residency(time.today())
    path = roster_file("email,name\na@example.org,Ann\n")
    result = runner.invoke(args=[*import_args(path, residency), "--no-invite"])
    assert result.exit_code == 0, result.output
    assert count(Membership) == 1 and count(OutboxMessage) == 0


def test_members_import_back_dated_is_silent_unless_told_to_notify_ended(
    app, runner, roster_file, mailbox
):
    residency = add_residency(time.today() - timedelta(days=800))
    path = roster_file("email,name\na@example.org,Ann\n")
    assert runner.invoke(args=import_args(path, residency)).exit_code == 0
    assert count(OutboxMessage) == 0
    other = add_residency(time.today() - timedelta(days=800), "Residency Braga")
    path = roster_file("email,name\nb@example.org,Bo\n")
    result = runner.invoke(args=[*import_args(path, other), "--notify-ended"])
    assert result.exit_code == 0, result.output
    deliver_pending()
    message = mailbox.single("b@example.org")
    assert message["Subject"].startswith("Your membership ended on")


def test_members_import_update_profiles(app, runner, roster_file):
    residency = add_residency(time.today())
    path = roster_file("email,name\na@example.org,Ann\n")
    runner.invoke(args=import_args(path, residency))
    path = roster_file("email,name\na@example.org,Ann Arbor\n")
    dry = runner.invoke(args=[*import_args(path, residency), "--dry-run"])
    assert "           name differs: Ann → Ann Arbor" in dry.stdout
    assert "differ from the file for 1 member: --update-profiles" in dry.stdout
    result = runner.invoke(args=[*import_args(path, residency), "--update-profiles"])
    assert result.exit_code == 0, result.output
    assert "Updated 1 profile." in result.stdout
    assert db.session.scalar(select(User.name)) == "Ann Arbor"


def test_by_records_the_acting_admin(app, runner, roster_file):
    admin = make_user("boss@example.org", "Avery Admin", role="admin")
    residency = add_residency(time.today())
    path = roster_file("email,name\na@example.org,Ann\n")
    result = runner.invoke(args=[*import_args(path, residency), "--by", admin.email])
    assert result.exit_code == 0, result.output
    actors = db.session.scalars(
        select(AuditEntry.actor_id).where(AuditEntry.action.in_(["grant", "import"]))
    )
    assert set(actors) == {admin.id}
    assert db.session.scalar(select(Term.granted_by_id)) == admin.id
    extended = run(
        runner, "members", "extend", "a@example.org", "--reason", "r",
        "--by", "Boss@Example.org",
    )  # fmt: skip
    assert extended.exit_code == 0, extended.output
    assert (
        db.session.scalars(
            select(AuditEntry.actor_id).order_by(AuditEntry.id.desc())
        ).first()
        == admin.id
    )


@pytest.mark.parametrize("by", ["ghost@example.org", "member@example.org"])
def test_by_must_name_an_admin(app, runner, roster_file, by):
    make_user("member@example.org", "Morgan Member")
    residency = add_residency(time.today())
    path = roster_file("email,name\na@example.org,Ann\n")
    result = runner.invoke(args=[*import_args(path, residency), "--by", by])
    one_error(result, f"--by: there is no admin with the email {by}.")
    assert count(Membership) == 0


@pytest.mark.parametrize(
    "args",
    [
        ["members", "import", "ROSTER", "--residency", "1", "--start", "2025-02-30"],
        ["members", "sweep", "--today", "2025-02-30"],
        [
            "members",
            "suspend",
            "a@example.org",
            "--until",
            "2025-02-30",
            "--reason",
            "r",
        ],
    ],
)
def test_an_impossible_date_is_no_such_day(app, runner, roster_file, args):
    add_residency(date(2026, 3, 1))
    path = roster_file("email,name\na@example.org,A\n")
    args = [path if arg == "ROSTER" else arg for arg in args]
    one_error(
        runner.invoke(args=args),
        "2025-02-30 is no such day: February 2025 has 28 days.",
    )


def test_board_commands_say_no_such_day_too(app, runner):
    result = runner.invoke(args=["board", "digest", "--now", "2025-02-30T08:00"])
    assert result.exit_code == 2
    assert "2025-02-30 is no such day: February 2025 has 28 days." in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--residency", "1"], "Cannot read missing.csv"),
        (["ROSTER", "--residency", "99"], "There is no residency with id 99."),
        (["ROSTER", "--residency", "1", "--start", "1/4/26"], "--start must be a date"),
    ],
)
def test_members_import_refuses_bad_arguments(app, runner, roster_file, args, message):
    add_residency(date(2026, 3, 1))
    path = roster_file("email,name\na@example.org,A\n")
    args = [path if arg == "ROSTER" else arg for arg in args]
    one_error(run(runner, "members", "import", *args), message)


def test_members_grant_from_a_residency_or_a_start_date(app, runner):
    residency = add_residency(date(2026, 3, 1))
    result = run(
        runner, "members", "grant", "New@Example.org", "--name", "New Person",
        "--residency", str(residency.id), "--reason", "Late roster entry",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "new@example.org: member through 28 Feb 2027 (2027-02-28)\n"
    again = run(
        runner, "members", "grant", "new@example.org", "--name", "New Person",
        "--residency", str(residency.id), "--reason", "Oops",
    )  # fmt: skip
    assert again.output.startswith("Nothing changed")
    faculty = run(
        runner, "members", "grant", "f@example.org", "--name", "Faculty",
        "--start", "2026-01-10", "--reason", "Faculty", "--organization", "Uni",
    )  # fmt: skip
    assert "member through 9 Jan 2027" in faculty.output
    term = db.session.scalars(select(Term).where(Term.residency_id.is_(None))).one()
    assert (term.source, term.reason) == ("grant", "Faculty")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a@example.org", "--name", "A", "--reason", "r"], "Give --residency ID"),
        (
            ["nope", "--name", "A", "--start", "2026-01-01", "--reason", "r"],
            "not valid",
        ),
        (
            ["a@example.org", "--name", "A", "--residency", "9", "--reason", "r"],
            "no residency",
        ),
    ],
)
def test_members_grant_refuses_bad_input(app, runner, args, message):
    one_error(run(runner, "members", "grant", *args), message)


def test_extend_revoke_suspend_reinstate(app, runner):
    user = make_graduate("m@example.org", start=time.today() - timedelta(days=10))
    end = find_membership(user).ends_on
    extended = run(runner, "members", "extend", "m@example.org", "--reason", "Renewed")
    assert extended.exit_code == 0, extended.output
    db.session.expire_all()
    new_end = find_membership(user).ends_on
    assert new_end > end and f"({new_end.isoformat()})" in extended.output
    until = (time.today() + timedelta(days=5)).isoformat()
    steps = [
        ["revoke", "m@example.org", "--reason", "Misconduct"],
        ["reinstate", "m@example.org", "--reason", "Appeal upheld"],
        ["suspend", "m@example.org", "--until", until, "--reason", "Pause"],
        ["reinstate", "m@example.org", "--reason", "Early"],
    ]
    for step in steps:
        result = run(runner, "members", *step)
        assert result.exit_code == 0, result.output
    actions = db.session.scalars(
        select(AuditEntry.action).order_by(AuditEntry.id)
    ).all()
    assert actions[-5:] == ["extend", "revoke", "reinstate", "suspend", "reinstate"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extend", "ghost@example.org", "--reason", "r"], "There is no account"),
        (["extend", "plain@example.org", "--reason", "r"], "has no membership"),
        (["revoke", "m@example.org", "--reason", " "], "A reason is required"),
        (["suspend", "m@example.org", "--until", "soon", "--reason", "r"], "--until"),
        (
            ["suspend", "m@example.org", "--until", "2000-01-01", "--reason", "r"],
            "today or later",
        ),
        (
            ["reinstate", "m@example.org", "--reason", "r"],
            "neither revoked nor suspended",
        ),
        (["list", "--status", "lapsed"], "--status must be one of"),
        (["list", "--residency", "42"], "no residency with id 42"),
        (["resend-invitation", "m@example.org"], "already claimed"),
        (["correct-email", "m@example.org", "bad"], "not valid"),
    ],
)
def test_member_commands_refuse_bad_input_in_one_line(app, runner, args, message):
    make_graduate("m@example.org", start=time.today() - timedelta(days=10))
    make_user("plain@example.org", "Plain")
    one_error(run(runner, "members", *args), message)


def test_members_list_json_shape_and_filters(app, runner):
    residency = add_residency(time.today() - timedelta(days=10))
    run(
        runner, "members", "grant", "a@example.org", "--name", "Ann",
        "--residency", str(residency.id), "--reason", "r",
    )  # fmt: skip
    make_graduate("old@example.org", start=time.today() - timedelta(days=500))
    listed = json.loads(run(runner, "members", "list", "--json").output)
    assert [entry["email"] for entry in listed] == ["a@example.org", "old@example.org"]
    assert set(listed[0]) == {"email", "name", "residency", "start", "end", "status"}
    assert listed[0]["residency"] == "Residency Lisbon"
    assert listed[0]["start"] == residency.held_on.isoformat()
    assert listed[0]["status"] == "current" and listed[1]["status"] == "expired"
    current = json.loads(
        run(runner, "members", "list", "--status", "current", "--json").output
    )
    assert [entry["email"] for entry in current] == ["a@example.org"]
    text = run(runner, "members", "list").output
    assert text.splitlines()[0].startswith("current ")


def test_members_export_prints_csv_and_is_audited(app, runner):
    make_graduate("m@example.org", start=time.today() - timedelta(days=10))
    result = run(runner, "members", "export", "--status", "current")
    assert result.exit_code == 0
    assert result.output.startswith("\ufeffemail,name,organization,title,")
    assert "m@example.org" in result.output
    assert db.session.scalar(
        select(AuditEntry.action).where(AuditEntry.action == "export")
    )


def test_resend_invitation_and_correct_email(app, runner):
    make_graduate("typo@exmaple.org", start=time.today(), claimed=False)
    assert (
        run(runner, "members", "resend-invitation", "typo@exmaple.org").exit_code == 0
    )
    fixed = run(
        runner, "members", "correct-email", "typo@exmaple.org", "typo@example.org"
    )
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output == "Email corrected: typo@example.org\n"
