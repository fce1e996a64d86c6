"""Every main page is valid HTML, by the Nu HTML Checker (the W3C validator).

One Java process checks all the pages at once: starting the JVM per page would
cost seconds each. Errors fail the test; warnings are printed.
"""

from __future__ import annotations

import json
import subprocess
from itertools import groupby
from pathlib import Path

from portal.auth.services import find_by_email
from tests.factories import sign_in
from tests.site import Page, fetch
from tests.tools import ROOT, vnu_command

CSS = ROOT / "portal" / "static" / "css" / "portal.css"


def save_pages(site, folder: Path) -> dict[str, Page]:
    """Write each page's HTML to ``folder``; its file name maps back to the page."""
    files: dict[str, Page] = {}
    by_person = sorted(site.pages, key=lambda p: p.who or "")
    for who, pages in groupby(by_person, key=lambda p: p.who):
        client = site.app.test_client()
        if who is not None:
            with site.app.app_context():
                user = find_by_email(who)
                assert user is not None, who
                sign_in(client, user)
        for page in pages:
            path = folder / f"page-{len(files):02d}.html"
            path.write_text(fetch(client, page), encoding="utf-8")
            files[path.name] = page
    return files


def check(command: list[str], paths: list[Path]) -> list[dict]:
    result = subprocess.run(
        [*command, "--format", "json", "--stdout", "--also-check-css", *paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout, f"vnu printed nothing: {result.stderr}"
    return json.loads(result.stdout)["messages"]


def describe(message: dict, files: dict[str, Page]) -> str:
    name = Path(message.get("url", "")).name
    where = files[name].id if name in files else name
    line = message.get("lastLine", "?")
    extract = (message.get("extract") or "").strip().replace("\n", " ")[:120]
    return f"{where} (line {line}): {message['message']}\n      {extract}"


def test_every_main_page_is_valid_html(site, tmp_path, capsys):
    command = vnu_command()
    with site.app.app_context():
        files = save_pages(site, tmp_path)
    messages = check(command, [*sorted(tmp_path.glob("*.html")), CSS])

    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    warnings = [m for m in messages if m["type"] == "info"]
    with capsys.disabled():
        print(f"\nNu HTML Checker: {len(files)} pages, {len(warnings)} warnings")
        for message in warnings:
            print("  warning:", describe(message, files))
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(
        describe(m, files) for m in errors
    )
