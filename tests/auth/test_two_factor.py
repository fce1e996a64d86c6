"""Two-factor sign-in: enrolment, the code step, recovery codes, turning off."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.auth.models import RecoveryCode, User
from portal.extensions import db
from tests.factories import (
    PASSWORD,
    fresh,
    fresh_code,
    issued_ago,
    login,
    make_admin,
    make_user,
    page,
    sign_in,
    with_two_factor,
)

CODE_PAGE = "/login/code"


def secret_on(html: str) -> str:
    match = re.search(r'data-secret="([A-Z2-7]+)"', html)
    assert match is not None, "no secret on the set-up page"
    return match.group(1)


def codes_on(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>", html)


def enrol(client) -> tuple[str, list[str]]:
    """Set up the app through the pages; the secret and the recovery codes."""
    setup = client.get("/account/two-factor")
    assert setup.status_code == 200
    secret = secret_on(page(setup))
    response = client.post(
        "/account/two-factor", data={"code": pyotp.TOTP(secret).now()}
    )
    assert response.status_code == 200, page(response)
    return secret, codes_on(page(response))


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_member_enrols_from_the_qr_page_and_gets_ten_recovery_codes(client):
    user = make_user()
    sign_in(client, user)
    setup = page(client.get("/account/two-factor"))
    assert 'src="data:image/svg+xml' in setup
    assert "otpauth" not in setup  # the link is only inside the QR code
    secret, codes = enrol(client)
    assert len(codes) == 10 == len(set(codes))
    enrolled = fresh(User, user.id)
    assert enrolled.has_two_factor and enrolled.totp_secret == secret
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not set(codes) & set(stored), "recovery codes are stored hashed"


def test_a_reloaded_set_up_page_shows_the_same_secret(client):
    sign_in(client, make_user())
    first = secret_on(page(client.get("/account/two-factor")))
    assert secret_on(page(client.get("/account/two-factor"))) == first


def test_a_wrong_code_does_not_turn_it_on(client):
    user = make_user()
    sign_in(client, user)
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in page(response)
    assert not fresh(User, user.id).has_two_factor


def test_sign_in_asks_for_the_code_after_the_password(client):
    user = with_two_factor(make_user())
    response = login(client, user.email)
    assert response.headers["Location"] == CODE_PAGE
    assert not signed_in(client), "not signed in between the two steps"
    response = client.post(CODE_PAGE, data={"code": fresh_code(user)})
    assert response.headers["Location"] == "/"
    assert signed_in(client)


def test_the_code_step_keeps_the_next_page(client):
    user = with_two_factor(make_user())
    login(client, user.email, next="/account")
    response = client.post(CODE_PAGE, data={"code": fresh_code(user)})
    assert response.headers["Location"] == "/account"


def test_a_wrong_code_is_refused(client):
    user = with_two_factor(make_user())
    login(client, user.email)
    response = client.post(CODE_PAGE, data={"code": "123456"})
    assert response.status_code == 200
    assert "That code is not right" in page(response)
    assert not signed_in(client)


def test_a_code_works_only_once(app):
    user = with_two_factor(make_user())
    code = fresh_code(user)
    first, second = app.test_client(), app.test_client()
    login(first, user.email)
    assert first.post(CODE_PAGE, data={"code": code}).status_code == 302
    login(second, user.email)
    response = second.post(CODE_PAGE, data={"code": code})
    assert response.status_code == 200
    assert "used already" in page(response)
    assert not signed_in(second)


def test_an_older_code_than_the_last_one_used_is_refused(client):
    user = with_two_factor(make_user())
    totp = pyotp.TOTP(user.totp_secret)
    login(client, user.email)
    assert client.post(CODE_PAGE, data={"code": fresh_code(user)}).status_code == 302
    client.post("/logout")
    login(client, user.email)
    step = fresh(User, user.id).totp_last_step
    earlier = totp.generate_otp(step - 1)
    assert client.post(CODE_PAGE, data={"code": earlier}).status_code == 200
    assert not signed_in(client)


def test_a_recovery_code_works_once(client):
    user = with_two_factor(make_user())
    code = user.recovery_codes[0]
    login(client, user.email)
    response = client.post(CODE_PAGE, data={"code": code.upper().replace("-", " ")})
    assert response.status_code == 302
    assert "You used a recovery code; 9 left." in page(client.get("/account"))
    client.post("/logout")
    login(client, user.email)
    response = client.post(CODE_PAGE, data={"code": code})
    assert response.status_code == 200
    assert not signed_in(client)


def test_the_code_step_expires(client):
    user = with_two_factor(make_user())
    with issued_ago(timedelta(minutes=6)):
        login(client, user.email)
    response = client.post(CODE_PAGE, data={"code": fresh_code(user)})
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)


def test_the_code_step_without_a_password_goes_to_sign_in(client):
    response = client.get(CODE_PAGE)
    assert response.headers["Location"] == "/login"


def test_a_password_change_ends_a_waiting_code_step(client):
    user = with_two_factor(make_user())
    login(client, user.email)
    user.set_password("another long password")
    db.session.commit()
    response = client.post(CODE_PAGE, data={"code": fresh_code(user)})
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)


def test_member_turns_it_off_with_their_password(client):
    user = with_two_factor(make_user())
    sign_in(client, user)
    wrong = client.post("/account/two-factor/off", data={"off-answer": "nope"})
    assert "That password or code is not right." in page(client.get(wrong.location))
    assert fresh(User, user.id).has_two_factor
    client.post("/account/two-factor/off", data={"off-answer": PASSWORD})
    assert not fresh(User, user.id).has_two_factor
    assert db.session.scalars(select(RecoveryCode)).all() == []
    client.post("/logout")
    assert login(client, user.email).headers["Location"] == "/"


def test_member_turns_it_off_with_a_code(client):
    user = with_two_factor(make_user())
    sign_in(client, user)
    client.post("/account/two-factor/off", data={"off-answer": fresh_code(user)})
    assert not fresh(User, user.id).has_two_factor


def test_an_admin_cannot_turn_it_off(client):
    admin = make_admin()
    sign_in(client, admin)
    response = client.post("/account/two-factor/off", data={"off-answer": PASSWORD})
    assert "it cannot be turned off" in page(client.get(response.location))
    assert fresh(User, admin.id).has_two_factor


def test_new_recovery_codes_replace_the_old_ones(client):
    user = with_two_factor(make_user())
    old = user.recovery_codes
    sign_in(client, user)
    response = client.post(
        "/account/two-factor/recovery-codes", data={"codes-answer": PASSWORD}
    )
    new = codes_on(page(response))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    login(client, user.email)
    assert client.post(CODE_PAGE, data={"code": old[1]}).status_code == 200
    assert client.post(CODE_PAGE, data={"code": new[1]}).status_code == 302


def test_moving_to_a_new_phone_keeps_the_old_app_until_confirmed(client):
    user = with_two_factor(make_user())
    old_secret = user.totp_secret
    sign_in(client, user)
    new_secret = secret_on(page(client.get("/account/two-factor/new")))
    assert new_secret != old_secret
    assert fresh(User, user.id).totp_secret == old_secret
    code = pyotp.TOTP(new_secret).now()
    assert client.post("/account/two-factor", data={"code": code}).status_code == 200
    assert fresh(User, user.id).totp_secret == new_secret


def test_the_account_page_links_to_two_factor_sign_in(client):
    sign_in(client, make_user())
    html = page(client.get("/account"))
    assert 'href="/account/two-factor"' in html
    assert "Set up two-factor sign-in" in html


@pytest.mark.parametrize("answer", ["", "x" * 201])
def test_malformed_answers_are_refused_without_a_500(client, answer):
    user = with_two_factor(make_user())
    login(client, user.email)
    assert client.post(CODE_PAGE, data={"code": answer}).status_code == 200
    sign_in(client, user)
    response = client.post("/account/confirm", data={"answer": answer})
    assert response.status_code == 200


def test_one_code_sent_at_once_from_four_browsers_signs_in_one(app):
    user = with_two_factor(make_user())
    code = fresh_code(user)
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        login(client, user.email)
    start, statuses = threading.Barrier(4), []

    def send(client) -> None:
        start.wait(timeout=30)
        statuses.append(client.post(CODE_PAGE, data={"code": code}).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 200, 200, 302]
