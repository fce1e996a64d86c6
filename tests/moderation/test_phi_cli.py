"""``flask moderation phi-check``: the detector behind a command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner

from portal import create_app
from portal.moderation import bp
from tests.conftest import BASE_CONFIG

POST = "A patient's son emailed j.smith77@gmail.com and left (617) 555-0142."


@pytest.fixture
def runner(tmp_path: Path) -> FlaskCliRunner:
    """An app that never opens its database: the command does not need one."""
    app = create_app(
        {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.db'}"}
    )
    if "moderation" not in app.blueprints:
        app.register_blueprint(bp)
    return app.test_cli_runner()


def json_lines(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_file_gives_one_json_object_per_finding(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")

    result = runner.invoke(args=["moderation", "phi-check", str(post)])

    assert result.exit_code == 0, result.output
    assert json_lines(result) == [
        {"kind": "email", "start": 24, "end": 43, "text": "j.smith77@gmail.com"},
        {"kind": "phone", "start": 53, "end": 67, "text": "(617) 555-0142"},
    ]
    for finding in json_lines(result):
        assert POST[finding["start"] : finding["end"]] == finding["text"]


@pytest.mark.parametrize("args", [[], ["-"]], ids=["no argument", "dash"])
def test_standard_input_is_read_without_a_file(
    runner: FlaskCliRunner, args: list[str]
) -> None:
    result = runner.invoke(args=["moderation", "phi-check", *args], input=POST)

    assert result.exit_code == 0, result.output
    assert [finding["kind"] for finding in json_lines(result)] == ["email", "phone"]


def test_clean_text_prints_nothing_and_succeeds(runner: FlaskCliRunner) -> None:
    text = "In 2024, 20% of patients found us on Instagram (@MayoClinic, #HIPAA)."

    result = runner.invoke(args=["moderation", "phi-check"], input=text)

    assert result.exit_code == 0
    assert result.output == ""


def test_offsets_count_characters_not_bytes(runner: FlaskCliRunner) -> None:
    text = "Café résumé: call 617-555-0142"

    result = runner.invoke(args=["moderation", "phi-check"], input=text)

    (finding,) = json_lines(result)
    assert text[finding["start"] : finding["end"]] == "617-555-0142"


def test_a_missing_file_is_one_clear_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.txt"

    result = runner.invoke(args=["moderation", "phi-check", str(missing)])

    assert result.exit_code == 1
    assert (
        result.output == f"Error: cannot read {missing}: No such file or directory.\n"
    )


def test_text_that_is_not_utf8_is_one_clear_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Café, call 617-555-0142".encode("latin-1"))

    from_file = runner.invoke(args=["moderation", "phi-check", str(latin1)])
    from_stdin = runner.invoke(
        args=["moderation", "phi-check"], input=latin1.read_bytes()
    )

    for result, where in ((from_file, str(latin1)), (from_stdin, "standard input")):
        assert result.exit_code == 1
        assert result.output.count("\n") == 1
        assert result.output.startswith(f"Error: {where} is not UTF-8 text")
        assert "Traceback" not in result.output
