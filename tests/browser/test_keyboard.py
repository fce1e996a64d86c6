"""Sign in, ask, answer, vote and accept with the keyboard alone.

Only Tab, Shift+Tab, Enter, Space and typing: no clicks, no filling by
selector. Every element the focus lands on must show it (an outline or a
shadow), or a keyboard user would not know where they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_member

pytestmark = pytest.mark.browser

TITLE = "How do you thank a family who praised a nurse by name?"
MOST_TAB_STOPS = 120

# What has the focus: its name as a person hears it (label, text or value),
# and whether a focus indicator is drawn.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return {
    tag: el.tagName.toLowerCase(),
    name: (el.getAttribute("aria-label") || label || el.innerText || el.value || "")
      .replace(/\\s+/g, " ").trim(),
    focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""


@dataclass
class Keyboard:
    page: Page
    stops: int = 0  # focus stops checked, for the report

    def focus(self, name: str | re.Pattern[str], backwards: bool = False) -> None:
        """Press Tab (or Shift+Tab) until the element called ``name`` has the
        focus, checking that every stop on the way shows its focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(MOST_TAB_STOPS):
            self.page.keyboard.press(key)
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue  # the focus left the page for the browser's own UI
            self.stops += 1
            assert focused["focusVisible"], f"{focused} is focused but not visibly"
            assert focused["outline"] or focused["shadow"], f"no focus ring: {focused}"
            if _matches(name, focused["name"]):
                return
        pytest.fail(f"{name!r} cannot be reached with {key}")

    def type_into(self, label: str, text: str) -> None:
        self.focus(label)
        self.page.keyboard.type(text)

    def press(self, name: str | re.Pattern[str], key: str = "Enter") -> None:
        """Focus ``name`` and press ``key`` on it, waiting for the next page."""
        self.focus(name)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)


def _matches(wanted: str | re.Pattern[str], name: str) -> bool:
    if isinstance(wanted, str):
        return name == wanted
    return wanted.search(name) is not None


def sign_in(keys: Keyboard, base: str, email: str) -> None:
    keys.page.goto(f"{base}/login")
    keys.type_into("Email", email)
    keys.type_into("Password", PASSWORD)
    keys.press("Sign in")
    expect(keys.page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(keys: Keyboard) -> None:
    keys.press("Sign out")
    expect(keys.page.get_by_text("You are signed out.")).to_be_visible()


def open_question(keys: Keyboard) -> None:
    """From the question list (where members land), follow the title link."""
    keys.press(TITLE)
    expect(keys.page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


def test_ask_answer_vote_and_accept_with_the_keyboard_alone(app, live_server, page):
    base = live_server.url
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")
        make_member("omar@example.org", "Omar Answerer")
    keys = Keyboard(page)

    sign_in(keys, base, "asha@example.org")
    keys.press("Ask")
    keys.type_into("Title", TITLE)
    keys.type_into("Details", "A family thanked our nurse Ana in a public post.")
    keys.type_into("Tags", "facebook, reviews")
    keys.press("Post your question")
    expect(page.get_by_text("Your question is posted.")).to_be_visible()
    expect(page.get_by_role("link", name="reviews", exact=True)).to_be_visible()
    sign_out(keys)

    sign_in(keys, base, "omar@example.org")
    open_question(keys)
    keys.type_into("Answer", "Thank them in public, and tell Ana in person.")
    keys.press("Post your answer")
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    # Back up the page to the question's vote button, and press it with Space.
    keys.focus(re.compile(r"vote up", re.IGNORECASE), backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator("#question .vote-score")).to_contain_text("1")
    sign_out(keys)

    sign_in(keys, base, "asha@example.org")
    open_question(keys)
    keys.press("Accept this answer")
    expect(page.get_by_text("✓ Accepted")).to_be_visible()
    assert keys.stops > 40, f"only {keys.stops} focus stops were checked"
