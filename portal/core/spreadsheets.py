"""CSV files for admins: safe to open in a spreadsheet, named by date."""

from __future__ import annotations

from flask import Response

from portal.core import time

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV file as UTF-8 only when it starts with a byte-order mark
# (without one it shows "Müller" as "MÃ¼ller").
EXCEL_BOM = "\ufeff"


def csv_cell(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    if value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_download(text: str, name: str) -> Response:
    filename = f"{name}-{time.today().isoformat()}.csv"
    return Response(
        EXCEL_BOM + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def cell_value(cell: str) -> str:
    """Undo ``csv_cell``: a file we exported imports back as it was."""
    if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS:
        return cell[1:]
    return cell
