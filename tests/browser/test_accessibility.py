"""Every main page passes axe (WCAG 2.2 AA) and fits a 390 px phone screen.

axe-core, from npm, is injected into each page as it stands in Chromium: the
result is what a screen reader and a keyboard would meet, scripts and styles
applied. Violations of serious or critical impact fail the test; the others are
printed. The pages and their data are tests/site.py's, written once per module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.auth.services import find_by_email
from tests.factories import PASSWORD, fresh_code
from tests.site import Page as SitePage
from tests.tools import axe_script

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def tabs(browser: Browser, site_server) -> Iterator[Callable[[str | None], Page]]:
    """One signed-in tab per person, opened when first needed. The CSP is
    bypassed so axe, an inline script, can be injected."""
    opened: dict[str | None, Page] = {}
    contexts = []

    def tab(who: str | None) -> Page:
        if who not in opened:
            context = browser.new_context(bypass_csp=True)
            contexts.append(context)
            opened[who] = context.new_page()
            opened[who].set_default_timeout(15_000)
            if who is not None:
                sign_in(opened[who], site_server, who)
        return opened[who]

    yield tab
    for context in contexts:
        context.close()


def sign_in(tab: Page, server, email: str) -> None:
    """Password, then the app's code for staff accounts that have one."""
    tab.goto(f"{server.url}/login")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    if "/login/code" in tab.url:
        with server.app.app_context():
            code = fresh_code(find_by_email(email))
        tab.get_by_label("Code").fill(code)
        tab.get_by_role("button", name="Sign in").click()
    expect(tab.get_by_role("button", name="Sign out")).to_be_attached()


def visit(tab: Page, base: str, page: SitePage) -> None:
    """Open ``page`` (filling and sending its form); fail if it is not there."""
    response = tab.goto(base + page.path)
    if page.button:
        button = tab.get_by_role("button", name=page.button, exact=True)
        form = tab.locator("form").filter(has=button)
        for name, value in page.form.items():
            box = form.locator(
                f'input[name="{name}"]:not([type=submit]), textarea[name="{name}"]'
            )
            if isinstance(value, bytes):
                box.set_input_files(
                    {"name": f"{name}.csv", "mimeType": "text/csv", "buffer": value}
                )
            elif box.count():
                box.fill(value)
        with tab.expect_navigation() as sent:
            button.click()
        response = sent.value
    assert response is not None
    where = tab.url.removeprefix(base).split("#")[0]
    assert (response.status, where) == (page.status, page.action or page.path), page.id


def axe_violations(tab: Page) -> list[dict]:
    tab.add_script_tag(path=str(axe_script()))
    return tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS)[
        "violations"
    ]


def describe(page: SitePage, violation: dict) -> str:
    targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
    return (
        f"{page.id}: {violation['id']} ({violation['impact']}, "
        f"{len(violation['nodes'])}x) {violation['help']}: {', '.join(targets)}"
    )


@dataclass
class Findings:
    failing: list[str] = field(default_factory=list)  # serious or critical
    others: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    too_wide: list[str] = field(default_factory=list)  # scrolls sideways

    def report(self, title: str, capsys) -> None:
        with capsys.disabled():
            print(f"\n{title}: {len(self.others)} minor or moderate rules broken")
            for lines in self.others.values():
                print("  " + "\n  ".join(lines))


def check(site, site_server, tabs, size: dict[str, int]) -> Findings:
    """Open every page in a window of ``size``, run axe, measure its width."""
    axe_script()
    found = Findings()
    for page in site.pages:
        tab = tabs(page.who)
        tab.set_viewport_size(size)
        visit(tab, site_server.url, page)
        for violation in axe_violations(tab):
            if violation["impact"] in FAILING_IMPACTS:
                found.failing.append(describe(page, violation))
            else:
                found.others[violation["id"]].append(describe(page, violation))
        width, window = tab.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if width > window:
            found.too_wide.append(f"{page.id}: {width} px wide in a {window} px window")
    return found


def test_no_serious_or_critical_axe_violations(site, site_server, tabs, capsys):
    found = check(site, site_server, tabs, DESKTOP)
    found.report(f"axe, {len(site.pages)} pages at 1280 px", capsys)
    assert not found.failing, "\n".join(found.failing)


def test_on_a_phone_no_page_scrolls_sideways_or_fails_axe(
    site, site_server, tabs, capsys
):
    found = check(site, site_server, tabs, PHONE)
    found.report(f"axe, {len(site.pages)} pages at 390 px", capsys)
    assert not found.too_wide, "\n".join(found.too_wide)
    assert not found.failing, "\n".join(found.failing)
