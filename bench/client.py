"""The load: real sign-ins through ``/login``, then N concurrent clients per page.

Each signed-in account is one frozen session cookie: every request sends it as
it was after signing in, so the flash a posted answer leaves in the session does
not pile up across requests (a browser would show and drop it on the next page).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

import aiohttp
from yarl import URL

from bench.dataset import PASSWORD, admin_code, seconds_to_next_code
from bench.pages import ACCOUNTS, Page

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT = aiohttp.ClientTimeout(total=60)


class SignInFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Account:
    cookie: str
    token: str


def _token(html: str, where: str) -> str:
    found = CSRF.search(html)
    if found is None:
        raise SignInFailed(f"no CSRF token on {where}")
    return found.group(1)


async def sign_in(base: str, admin: bool, form_page: str) -> Account:
    """POST /login with the login form's token; ``form_page`` yields a CSRF token
    for the account's own forms."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base, cookie_jar=jar, timeout=TIMEOUT) as session:
        async with session.get("/login") as response:
            token = _token(await response.text(), "/login")
        form = {"email": ACCOUNTS[admin], "password": PASSWORD, "csrf_token": token}
        async with session.post("/login", data=form, allow_redirects=False) as response:
            location = response.headers.get("Location", "")
            if response.status != 302 or location.startswith("/login?"):
                raise SignInFailed(
                    f"POST /login for {ACCOUNTS[admin]}: {response.status}"
                )
        if location.startswith("/login/code"):
            await _enter_code(session)
        async with session.get(form_page) as response:
            if response.status != 200:
                raise SignInFailed(
                    f"{form_page} answered {response.status} after sign-in"
                )
            token = _token(await response.text(), form_page)
        cookie = jar.filter_cookies(URL(base)).get("session")
        if cookie is None:
            raise SignInFailed("no session cookie after signing in")
        return Account(f"session={cookie.value}", token)


async def _enter_code(session: aiohttp.ClientSession) -> None:
    """The admin's second step; a code used a moment ago waits for the next."""
    for _ in range(2):
        async with session.get("/login/code") as response:
            token = _token(await response.text(), "/login/code")
        form = {"code": admin_code(), "csrf_token": token}
        async with session.post(
            "/login/code", data=form, allow_redirects=False
        ) as response:
            if response.status == 302:
                return
        await asyncio.sleep(seconds_to_next_code())
    raise SignInFailed("the bench admin's sign-in code was refused")


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, fraction: float) -> float:
        """Nearest rank, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _send(
    session: aiohttp.ClientSession, page: Page, n: int, cookie: str
) -> tuple[int, str]:
    path, form = page.request(n)
    headers = {"Cookie": cookie}
    method = "GET" if form is None else "POST"
    async with session.request(
        method, path, data=form, headers=headers, allow_redirects=False
    ) as response:
        await response.read()
        return response.status, response.headers.get("Location", "")


def _problem(page: Page, status: int, location: str) -> str | None:
    if status != page.expect:
        return f"{page.name}: HTTP {status}"
    if "/login" in location:
        return f"{page.name}: redirected to sign in"
    return None


async def check(base: str, page: Page, account: Account) -> str | None:
    """One request: None when the page answers as it must, else what went wrong."""
    async with aiohttp.ClientSession(
        base, cookie_jar=aiohttp.DummyCookieJar(), timeout=TIMEOUT
    ) as session:
        try:
            status, location = await _send(session, page, 0, account.cookie)
        except (aiohttp.ClientError, TimeoutError) as error:
            return f"{page.name}: {error!r}"
        return _problem(page, status, location)


async def measure(
    base: str, page: Page, account: Account, clients: int, seconds: float
) -> Result:
    """``clients`` loops sending ``page`` back to back until ``seconds`` pass."""
    result, counter = Result(), iter(range(10**9))
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(
        base, connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=TIMEOUT
    ) as session:
        started = time.perf_counter()
        deadline = started + seconds

        async def client() -> None:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    status, location = await _send(
                        session, page, next(counter), account.cookie
                    )
                except (aiohttp.ClientError, TimeoutError) as error:
                    result.errors.append(repr(error))
                    continue
                problem = _problem(page, status, location)
                if problem:
                    result.errors.append(problem)
                else:
                    result.latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(client() for _ in range(clients)))
        result.elapsed = time.perf_counter() - started
    return result
