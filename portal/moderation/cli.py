"""``flask moderation …``: the patient-information guard from the command line."""

from __future__ import annotations

import dataclasses
import json
import sys

import click

from portal.core.phi import scan
from portal.moderation import bp


@bp.cli.command("phi-check")
@click.argument("file", required=False, default="-")
def phi_check(file: str) -> None:
    """Print likely patient information in FILE (or standard input) as JSON lines.

    One object per finding, {"kind", "start", "end", "text"}, with start and end
    counted in characters; nothing when the text is clean. Exits 0 either way,
    and 1 when FILE cannot be read or is not UTF-8 text.
    """
    for finding in scan(read_text(file)):
        click.echo(json.dumps(dataclasses.asdict(finding)))


def read_text(file: str) -> str:
    """The whole of FILE ("-" is standard input), or one line saying what is wrong."""
    where = "standard input" if file == "-" else file
    try:
        if file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(file, "rb") as handle:
                data = handle.read()
    except OSError as error:
        raise click.ClickException(f"cannot read {where}: {error.strerror}.") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{where} is not UTF-8 text (byte {error.start} cannot be decoded); "
            "save it as UTF-8 and try again."
        ) from None
