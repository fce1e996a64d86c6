"""Rosters as spreadsheets really save them: each imports, or says what to fix."""

from __future__ import annotations

from datetime import date

import pytest

from portal.auth import services as accounts
from portal.membership.services.profiles import profile_of
from portal.membership.services.roster import (
    NEW,
    RosterError,
    import_roster,
    preview_roster,
)
from tests.factories import add_residency, roster_csv

HELD_ON = date(2026, 3, 1)
TODAY = date(2026, 3, 3)


def imported(data: bytes) -> list[tuple[str, str, str | None]]:
    """Import ``data`` and return what was stored: (email, name, organisation)."""
    residency = add_residency(HELD_ON)
    preview = import_roster(data, residency, actor=None, today=TODAY)
    stored = []
    for line in preview.lines:
        user = accounts.find_by_email(line.email)
        stored.append((user.email, user.name, profile_of(user).organisation))
    return stored


ANA = ("ana@example.org", "Ana Müller", "Clínica São José")
BO = ("bo@example.org", "Bo Éclair", None)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            roster_csv(
                "ana@example.org,Ana Müller,Clínica São José,",
                "bo@example.org,Bo Éclair,,",
                encoding="cp1252",
            ),
            id="windows-1252 from Excel's 'CSV (Comma delimited)'",
        ),
        pytest.param(
            roster_csv(
                "ana@example.org;Ana Müller;Clínica São José",
                "bo@example.org;Bo Éclair;",
                header="email;name;organization",
                encoding="utf-8-sig",
            ),
            id="semicolons, as Excel saves in French or German",
        ),
        pytest.param(
            roster_csv(
                "ana@example.org\tAna Müller\tClínica São José",
                "bo@example.org\tBo Éclair\t",
                header="email\tname\torganization",
                encoding="utf-16",
            ),
            id="utf-16 with a byte-order mark and tabs (Unicode Text)",
        ),
        pytest.param(
            roster_csv(
                '"Ana Müller","ana@example.org","Clínica São José"',
                '"Bo Éclair","bo@example.org",""',
                header="Full Name,Email Address,Hospital",
            ),
            id="Email Address, Full Name and Hospital headers",
        ),
        pytest.param(
            roster_csv(
                "Ana,Müller,ana@example.org,Clínica São José",
                "Bo,Éclair,bo@example.org,",
                header="First Name,Last Name,E-mail,Organisation",
            ),
            id="First Name and Last Name joined",
        ),
        pytest.param(
            roster_csv(
                "ana@example.org,Ana Müller,Clínica São José,,",
                "bo@example.org,Bo Éclair,,,,,",
                header="email,name,organization,,",
            ),
            id="Excel's empty trailing columns",
        ),
        pytest.param(
            roster_csv(
                "ana@example.org;Ana Müller;Clínica São José",
                "bo@example.org;Bo Éclair;",
                header="email;name;organization",
                newline="\n",
            ),
            id="utf-8 without a byte-order mark, unix line ends",
        ),
    ],
)
def test_real_spreadsheet_exports_import(app, data):
    assert imported(data) == [ANA, BO]


def test_an_unknown_column_is_a_warning_and_is_not_imported(app):
    data = roster_csv(
        "ana@example.org,Ana Müller,+351 912 345 678,Clínica São José",
        header="email,name,phone,organization",
    )
    preview = preview_roster(data, add_residency(HELD_ON), today=TODAY)
    assert preview.ok and preview.count(NEW) == 1
    assert preview.warnings == [
        "Columns not imported: phone. "
        "The columns are email,name and optionally organization,title."
    ]
    assert preview.lines[0].organisation == "Clínica São José"


def test_a_name_column_wins_over_first_and_last_name(app):
    data = roster_csv(
        "ana@example.org,Ana M.,Ana,Müller", header="email,name,First Name,Surname"
    )
    preview = preview_roster(data, add_residency(HELD_ON), today=TODAY)
    assert preview.lines[0].name == "Ana M."
    assert preview.warnings[0].startswith("Columns not imported: First Name, Surname.")


def test_values_in_a_column_without_a_name_are_a_warning(app):
    data = roster_csv("ana@example.org,Ana,,note", header="email,name,,")
    preview = preview_roster(data, add_residency(HELD_ON), today=TODAY)
    assert preview.ok
    assert preview.warnings == [
        "A column without a name in the header row has values; they are not imported."
    ]


def test_a_multi_line_name_does_not_shift_the_line_of_a_later_error(app):
    data = roster_csv(
        '"ana@example.org","Ana\r\nMüller",',  # lines 2 and 3
        "bo@example.org,Bo,",  # line 4
        '"cy@example.org","Cy\r\n\r\nCarvalho",',  # lines 5 to 7
        "not-an-email,Dee,",  # line 8
        header="email,name,organization",
    )
    residency = add_residency(HELD_ON)
    with pytest.raises(RosterError) as caught:
        import_roster(data, residency, actor=None, today=TODAY)
    preview = caught.value.preview
    assert [line.line for line in preview.lines] == [2, 4, 5, 8]
    assert preview.lines[0].name == "Ana Müller"
    assert preview.lines[2].name == "Cy Carvalho"
    assert [error.split(":")[0] for error in preview.errors] == ["line 8"]
    assert str(caught.value) == "The roster has 1 error; nothing was imported."


def test_an_oversized_value_says_which_line_and_imports_nothing(app):
    data = roster_csv(
        "ana@example.org,Ana,",
        f'bo@example.org,"{"B" * 200_000}",',
        header="email,name,organization",
    )
    preview = preview_roster(data, add_residency(HELD_ON), today=TODAY)
    assert not preview.ok and preview.lines == []
    assert preview.errors == [
        "line 3: a value is longer than 128 KB, so this is not a roster (or a "
        "quotation mark that opens a value is never closed)."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty: it needs a header row"),
        (b"\r\n\r\n", "The file is empty: it needs a header row"),
        (b"\xef\xbb\xbfemail,name\r\n", "The file has a header row but no graduates."),
        (b"email;name;;\r\n;;;\r\n", "The file has a header row but no graduates."),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "This is an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "This is an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a text file"),
        (b"\xff\xfee\x00m\x00\x00\xd8", "is not readable UTF-16 text"),
        (b"email,name\r\na@example.org,\x81\r\n", "is not readable Windows-1252 text"),
    ],
)
def test_files_that_are_not_rosters_get_a_clear_message(app, data, message):
    preview = preview_roster(data, add_residency(HELD_ON), today=TODAY)
    assert not preview.ok and preview.lines == []
    assert len(preview.errors) == 1 and message in preview.errors[0], preview.errors
