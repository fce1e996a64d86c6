"""``flask users create-admin``: the first admin, from the server's shell."""

import re

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from tests import factories
from tests.factories import deliver, make_user

NEW_PASSWORD = "a brand new passphrase"


def create_admin(runner, *args: str):
    return runner.invoke(args=["users", "create-admin", *args])


def printed_link(output: str) -> str:
    [link] = re.findall(r"http://portal\.test/\S+", output)
    return link


def test_create_admin_prints_a_link_to_set_a_password(app, runner, client, mailbox):
    result = create_admin(runner, "Avery@Example.org", "--name", "Avery Admin")
    assert result.exit_code == 0, result.output
    assert "Admin: avery@example.org" in result.output
    assert "within 30 days (the link works once)" in result.output

    path = factories.path_of(printed_link(result.output))
    response = client.post(
        path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    # Signed in; an admin sets up the second factor before any admin page.
    response = client.get("/admin/users")
    assert response.headers["Location"] == "/account/two-factor"
    assert client.get(path).status_code == 410
    deliver()
    assert mailbox.messages == []


def test_create_admin_takes_no_password_on_the_command_line(app, runner):
    result = create_admin(
        runner, "avery@example.org", "--name", "Avery", "--password", "secret-secret"
    )
    assert result.exit_code == 2
    assert "No such option '--password'" in result.output
    assert factories.outbox() == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-email", "'not-an-email' is not a valid email address."),
        ("avery@", "'avery@' is not a valid email address."),
        ("@example.org", "'@example.org' is not a valid email address."),
        ("a b@example.org", "'a b@example.org' is not a valid email address."),
        ("avery@exa\nmple.org", "'avery@exa\\nmple.org' is not a valid email"),
        ("", "An email address is required."),
    ],
)
def test_create_admin_refuses_a_bad_email_in_one_line(app, runner, email, message):
    result = create_admin(runner, email, "--name", "Avery Admin")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert db.session.scalars(select(User)).all() == []


def test_create_admin_refuses_a_blank_or_huge_name(app, runner):
    blank = create_admin(runner, "avery@example.org", "--name", "  ")
    assert blank.exit_code == 1
    assert "A name is required." in blank.output
    huge = create_admin(runner, "avery@example.org", "--name", "A" * 500)
    assert huge.exit_code == 1
    assert "at most 120 characters" in huge.output


def test_create_admin_promotes_an_existing_member(app, runner, client):
    member = make_user()
    result = create_admin(runner, "member@example.org", "--name", "Ignored")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert member.is_admin
    factories.sign_in(client, member)
    response = client.get("/admin/users")
    assert response.headers["Location"] == "/account/two-factor"
