"""Sign-in limits that hold: counted before the password is checked, shared by
every process through Redis, and never a way to lock an owner out of their
own account from a browser they signed in with before."""

from __future__ import annotations

import multiprocessing
import os
import threading
import uuid
from collections import Counter

import pytest
import redis

from portal import create_app
from portal.auth.attempts import DEVICE_COOKIE
from portal.config import ConfigError
from tests.auth import sign_in_worker
from tests.factories import fresh_code, login, make_user, sign_in, with_two_factor

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REAL_SECRET = "0123456789abcdef0123456789abcdef-real"
TOO_MANY = 429


def fail(client, email: str = "member@example.org"):
    return login(client, email, "a wrong guess")


# Production refuses per-process limits


def production(database_url: str, **config: object):
    return create_app(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": REAL_SECRET,
            "SQLALCHEMY_DATABASE_URI": database_url,
            **config,
        }
    )


def test_production_refuses_memory_storage_and_names_the_redis_setting(
    database_url,
):
    with pytest.raises(ConfigError) as refused:
        production(database_url, RATELIMIT_STORAGE_URI="memory://")
    message = str(refused.value)
    assert "RATELIMIT_STORAGE_URI" in message
    assert "redis://" in message
    assert "PORTAL_SINGLE_PROCESS=1" in message


def test_production_starts_with_redis_or_when_it_says_it_is_one_process(
    database_url, monkeypatch
):
    assert production(database_url, RATELIMIT_STORAGE_URI=REDIS_URL)
    assert production(database_url, PORTAL_SINGLE_PROCESS=True)
    monkeypatch.setenv("PORTAL_SINGLE_PROCESS", "1")
    assert production(database_url, RATELIMIT_STORAGE_URI="memory://")


def test_development_keeps_memory_storage(database_url):
    assert create_app({"SQLALCHEMY_DATABASE_URI": database_url})


# Counted before the password is checked


def test_parallel_tries_in_one_process_get_exactly_the_limit(app):
    make_user()
    statuses: list[int] = []
    start = threading.Barrier(8)

    def attempt() -> None:
        client = app.test_client()
        start.wait(timeout=30)
        statuses.append(fail(client).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Counter(statuses) == {200: 5, TOO_MANY: 3}


def redis_or_skip() -> None:
    """CI has Redis: there a missing server fails the test, elsewhere skips it."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is needed at {REDIS_URL} in CI: {error}")
        pytest.skip(f"no Redis at {REDIS_URL} (set PORTAL_TEST_REDIS_URL)")


def run_processes(database_url: str, storage: str, processes: int, tries: int):
    """Each process tries ``tries`` wrong passwords at once; all statuses."""
    prefix = f"portal-test-{uuid.uuid4().hex}"
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.auth.sign_in_worker"])
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(
            target=sign_in_worker.try_wrong_passwords,
            args=(config, "member@example.org", tries, barrier, results),
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    statuses = [code for _ in workers for code in results.get(timeout=90)]
    for worker in workers:
        worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0] * processes
    if storage.startswith("redis"):
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
    return Counter(statuses)


@pytest.mark.timeout(180)
def test_two_processes_sharing_redis_check_exactly_five_of_eight_tries(
    app, database_url
):
    redis_or_skip()
    make_user()
    statuses = run_processes(database_url, REDIS_URL, processes=2, tries=4)
    assert statuses == {200: 5, TOO_MANY: 3}


@pytest.mark.timeout(180)
def test_memory_storage_counts_each_process_apart(app, database_url):
    """Why production refuses it: two processes check all eight tries."""
    make_user()
    statuses = run_processes(database_url, "memory://", processes=2, tries=4)
    assert statuses == {200: 8}


def test_a_refused_try_is_not_checked_even_with_the_right_password(app):
    make_user()
    client = app.test_client()
    for _ in range(5):
        fail(client)
    assert login(client, "member@example.org").status_code == TOO_MANY


# Known devices


def test_a_locked_account_still_signs_in_from_its_known_device(app):
    owner = make_user()
    phone = sign_in(app.test_client(), owner)
    phone.post("/logout")
    stranger = app.test_client()
    for _ in range(5):
        assert fail(stranger).status_code == 200
    assert fail(stranger).status_code == TOO_MANY
    assert login(stranger, owner.email).status_code == TOO_MANY
    response = login(phone, owner.email)
    assert response.status_code == 302
    assert phone.get("/account").status_code == 200


def test_a_known_device_has_its_own_budget(app):
    owner = make_user()
    phone = sign_in(app.test_client(), owner)
    phone.post("/logout")
    for _ in range(5):
        assert fail(phone).status_code == 200
    assert login(phone, owner.email).status_code == TOO_MANY
    # ... which leaves the account's budget to other browsers.
    assert login(app.test_client(), owner.email).status_code == 302


def test_a_device_known_for_one_account_counts_as_a_stranger_for_another(app):
    make_user()
    attacker = make_user("attacker@example.org", "Ada Attacker")
    own = sign_in(app.test_client(), attacker)
    own.post("/logout")
    for _ in range(5):
        fail(own)
    assert login(app.test_client(), "member@example.org").status_code == TOO_MANY


def test_a_forged_device_cookie_counts_as_a_stranger(app):
    owner = make_user()
    stranger = app.test_client()
    stranger.set_cookie(DEVICE_COOKIE, "forged", path="/login")
    for _ in range(5):
        fail(stranger)
    assert login(stranger, owner.email).status_code == TOO_MANY


def test_the_device_cookie_is_http_only_and_only_sent_to_sign_in(app):
    owner = make_user()
    client = app.test_client()
    response = login(client, owner.email)
    [cookie] = [
        header
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith(DEVICE_COOKIE)
    ]
    assert "HttpOnly" in cookie
    assert "Path=/login" in cookie
    assert "SameSite=Lax" in cookie


def test_the_code_step_is_limited_and_the_known_device_keeps_working(app):
    owner = with_two_factor(make_user())
    phone = sign_in(app.test_client(), owner)
    phone.post("/logout")
    stranger = app.test_client()
    login(stranger, owner.email)  # the stranger knows the password
    for _ in range(5):
        assert stranger.post("/login/code", data={"code": "000000"}).status_code == 200
    response = stranger.post("/login/code", data={"code": fresh_code(owner)})
    assert response.status_code == TOO_MANY
    login(phone, owner.email)
    assert (
        phone.post("/login/code", data={"code": fresh_code(owner)}).status_code == 302
    )


def test_confirming_identity_is_limited(app):
    owner = make_user()
    client = sign_in(app.test_client(), owner)
    for _ in range(5):
        response = client.post("/account/confirm", data={"answer": "guess"})
        assert response.status_code == 200
    response = client.post("/account/confirm", data={"answer": "correct horse battery"})
    assert response.status_code == TOO_MANY
