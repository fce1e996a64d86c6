"""Configuration precedence and the production safety checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app
from portal.config import DEV_SECRET_KEY, ConfigError, load_environment
from tests.factories import PASSWORD, make_user

REAL_SECRET = "0123456789abcdef0123456789abcdef-real"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("secret", [DEV_SECRET_KEY, "", "too-short-for-production"])
def test_production_refuses_to_start_without_a_real_secret(database_url, secret):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            {
                "PORTAL_ENV": "production",
                "SECRET_KEY": secret,
                "SQLALCHEMY_DATABASE_URI": database_url,
            }
        )


@pytest.fixture
def production(make_app):
    app = make_app(
        PORTAL_ENV="production", SECRET_KEY=REAL_SECRET, PORTAL_SINGLE_PROCESS=True
    )
    with app.app_context():
        make_user()
    return app


def cookie_headers(response) -> dict[str, str]:
    return {
        header.split("=", 1)[0]: header
        for header in response.headers.getlist("Set-Cookie")
    }


def test_production_cookies_are_secure_http_only_and_same_site(production):
    client = production.test_client()
    response = client.post(
        "/login",
        data={"email": "member@example.org", "password": PASSWORD, "remember": "y"},
        base_url="https://portal.test",
    )
    assert response.status_code == 302
    cookies = cookie_headers(response)
    assert set(cookies) >= {"session", "remember_token"}
    for header in cookies.values():
        assert "; Secure" in header
        assert "; HttpOnly" in header
        assert "; SameSite=Lax" in header


def test_production_pages_send_hsts(production):
    response = production.test_client().get("/login", base_url="https://portal.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_development_does_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_environment_overrides_defaults_with_parsed_values():
    config = {"MAIL_PORT": 25, "MAIL_USE_TLS": False}
    load_environment(
        config,
        {"MAIL_PORT": "2525", "MAIL_USE_TLS": "yes", "PORTAL_NAME": "", "OTHER": "x"},
    )
    assert config == {"MAIL_PORT": 2525, "MAIL_USE_TLS": True}


def test_postgres_urls_use_psycopg_3(make_app, database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgres://u@db.example/portal")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://u@db.example/portal"
    )


def test_passwords_are_hashed_with_scrypt_unless_configured_otherwise(tmp_path):
    from portal import create_app
    from portal.auth.models import User

    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/h.db"}
    )
    with app.app_context():
        user = User(email="hash@example.org", name="Hash")
        user.set_password("a long enough password")
        assert user.password_hash is not None
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("a long enough password")
        assert not user.check_password("another password")


@pytest.mark.parametrize("zone", ["Europe/Lisbn", "Europe", "UTC+1", "../etc/passwd"])
def test_a_mistyped_timezone_stops_the_app_at_start_up(database_url, zone):
    with pytest.raises(ConfigError) as caught:
        create_app({"PORTAL_TIMEZONE": zone, "SQLALCHEMY_DATABASE_URI": database_url})
    assert str(caught.value) == (
        f"PORTAL_TIMEZONE {zone!r} is not a time zone: use a name like "
        "'Europe/Lisbon' or 'UTC'"
    )


def test_a_mistyped_timezone_is_one_line_from_the_flask_command(tmp_path):
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "PORTAL_TIMEZONE": "Europe/Lisbn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "members", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Configuration error: PORTAL_TIMEZONE 'Europe/Lisbn' is not a time zone: "
        "use a name like 'Europe/Lisbon' or 'UTC'.\n"
    )
