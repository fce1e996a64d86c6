"""CSV files for admins: safe to open in a spreadsheet, named by date."""

from __future__ import annotations

from flask import Response

from portal.core import time


def csv_cell(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_download(text: str, name: str) -> Response:
    filename = f"{name}-{time.today().isoformat()}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
