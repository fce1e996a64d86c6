"""The portal's main pages, each as the person who sees it, filled with data.

The accessibility checks (axe in Chromium, the Nu HTML Checker, the 390 px
width) walk this one list, so a page added here is checked by all of them.
``build_site`` writes the data through the factories on an empty database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO

from flask import Flask
from flask.testing import FlaskClient

from portal.core import time as portal_time
from portal.moderation.models import OFF_TOPIC
from tests import factories as f

ADMIN = "admin@example.org"
MODERATOR = "moderator@example.org"
ASKER = "asha@example.org"
ANSWERER = "omar@example.org"
ENDED = "gale@example.org"
EXPIRED = "ezra@example.org"

ROSTER = f.roster_csv(
    "ana@example.org,Ana Silva,Hospital Lisboa,Nurse",
    "bruno@example.org,Bruno Costa,Clínica Porto,Communications lead",
    "ines@example.org,Inês Graduate,Hospital Faro,Nurse",
)


@dataclass(frozen=True)
class Page:
    """A page as ``who`` (an email; None when signed out) sees it.

    Most pages are opened at ``path``. A page that answers a form (a preview,
    the patient-information guard) is reached as a person does: ``form`` is
    filled in on the page at ``path`` (field name: value; bytes are a file to
    upload) and ``button`` is pressed, which posts to ``action``. Its name=value
    pair, if it has one, is part of ``form``.
    """

    who: str | None
    name: str
    path: str
    form: dict[str, str | bytes] = field(default_factory=dict)
    button: str = ""
    action: str = ""
    status: int = 200

    @property
    def id(self) -> str:
        return f"{self.who.split('@')[0] if self.who else 'signed-out'}: {self.name}"


@dataclass
class Site:
    """An app on a database of its own, with every main page filled."""

    app: Flask
    port: int  # where a live server of it listens (its PORTAL_BASE_URL)
    pages: list[Page]


def build_site() -> list[Page]:
    """Write a small network with something on every page; return the pages."""
    today = portal_time.today()
    f.make_admin(ADMIN)
    f.make_moderator(MODERATOR)
    asha = f.make_member(ASKER, "Asha Asker")
    omar = f.make_member(ANSWERER, "Omar O'Answerer")
    f.make_grace_member(ENDED, "Gale Grace")
    for member in (asha, omar):
        f.fill_profile(member)
    residency = f.add_residency(today - f.days(30), "Residency Lisbon")
    graduate = f.add_graduate(
        residency, "ines@example.org", "Inês Graduate", organisation="Hospital Faro"
    )
    newcomer = f.invite("nia@example.org", "Nia Newcomer")

    question = f.ask(
        asha,
        "How do you answer a negative review that names a doctor?",
        "A reviewer named our ER doctor.\n\n- Reply in public?\n- Or `offline`?",
        "facebook, crisis, reviews",
    )
    f.ask(omar, "Which scheduling tool do you use for posts?", tags="tools")
    first = f.answer(
        omar,
        question,
        "Never confirm they were a patient. [Guide](https://example.org)",
    )
    second = f.answer(asha, question, "We reply once, then take it offline.")
    # Comment ids that equal answer ids: the ids on the page must stay unique.
    for on in (None, first, second):
        f.comment(omar if on is not first else asha, question, "Good point.", on=on)
    f.vote(omar, question)
    f.vote(asha, first)
    f.accept(asha, first)
    off_topic = f.answer(omar, question, "Buy followers cheaply here.")
    f.flag(asha, off_topic, OFF_TOPIC, "Advertising.")
    f.backdate(question, timedelta(days=2))
    # Deleted by its author a moment ago: the banner offers Restore.
    f.delete_post(asha, f.answer(asha, question, "Posted twice by mistake."))
    # A member whose board is closed still reads what they wrote.
    ezra = f.make_expired_member(EXPIRED, "Ezra Expired")
    own = f.ask(ezra, "Do we answer reviews that name a nurse?", tags="reviews")
    message = f.outbox("invitation")[0]

    q, a = question.id, first.id
    signed_out = [
        ("sign in", "/login"),
        ("forgot password", "/password/forgot"),
        ("invitation", f.invitation_path(newcomer)),
        ("how the network works", "/how-it-works"),
    ]
    member = [
        ("questions", "/questions"),
        ("question", f"/questions/{q}"),
        ("ask", "/questions/ask"),
        ("edit question", f"/questions/{q}/edit"),
        ("edit answer", f"/answers/{second.id}/edit"),
        ("search", "/search?q=review"),
        ("tags", "/tags"),
        ("tag", "/tags/facebook"),
        ("notifications", "/notifications"),
        ("notification settings", "/notifications/settings"),
        ("member profile", f"/members/{omar.id}"),
        ("directory", "/directory"),
        ("my membership", "/membership"),
        ("profile", "/profile"),
        ("account", "/account"),
        ("flag", f"/flag/answer/{a}"),
        ("delete: confirmation", f"/answers/{second.id}/delete"),
    ]
    moderation = [
        ("queue", "/moderation"),
        ("flagged post", f"/moderation/answer/{off_topic.id}"),
    ]
    r = residency.id
    admin_pages = [
        ("dashboard", "/admin/"),
        ("members", "/admin/members"),
        ("member", f"/admin/members/{graduate.id}"),
        ("residencies", "/admin/residencies"),
        ("residency", f"/admin/residencies/{r}"),
        ("residency edit", f"/admin/residencies/{r}/edit"),
        ("roster upload", f"/admin/residencies/{r}/roster"),
        ("audit log", "/admin/audit"),
        ("accounts", "/admin/users"),
        ("outbox", "/admin/outbox"),
        ("message", f"/admin/outbox/{message.id}"),
        ("tags", "/admin/tags"),
        ("settings", "/admin/settings"),
    ]
    ask = {"title": "How do you reply to a review from a patient's family?"}
    phone = "Her daughter called from +351 912 345 678 about it."
    return [
        *(Page(None, name, path) for name, path in signed_out),
        Page(None, "page not found", "/no-such-page", status=404),
        *(Page(ASKER, name, path) for name, path in member),
        Page(
            ASKER,
            "ask: preview",
            "/questions/ask",
            {**ask, "body": "We reply **once**.", "tags": "reviews", "preview": "1"},
            "Preview",
            "/questions/ask",
        ),
        Page(
            ASKER,
            "ask: patient-information guard",
            "/questions/ask",
            {**ask, "body": phone, "tags": "reviews", "submit": "1"},
            "Post your question",
            "/questions/ask",
            status=422,
        ),
        Page(
            ANSWERER,
            "answer: preview",
            f"/questions/{q}",
            {"body": "Thank them, then call.", "preview": "1"},
            "Preview",
            f"/questions/{q}/answers",
        ),
        Page(ENDED, "membership in grace", "/membership"),
        Page(EXPIRED, "membership expired", "/membership"),
        Page(EXPIRED, "own question, board closed", f"/questions/{own.id}"),
        Page(EXPIRED, "own posts, board closed", f"/members/{ezra.id}"),
        Page(
            EXPIRED, "refused: someone else's question", f"/questions/{q}", status=403
        ),
        *(Page(MODERATOR, name, path) for name, path in moderation),
        *(Page(ADMIN, name, path) for name, path in admin_pages),
        Page(
            ADMIN,
            "roster preview",
            f"/admin/residencies/{r}/roster",
            {"roster": ROSTER},
            "Preview",
            f"/admin/residencies/{r}/roster/preview",
        ),
    ]


def fetch(client: FlaskClient, page: Page) -> str:
    """The page's HTML through the test client, signed in as ``page.who``."""
    if not page.button:
        response = client.get(page.path)
    else:
        data = {
            name: (BytesIO(value), f"{name}.csv") if isinstance(value, bytes) else value
            for name, value in page.form.items()
        }
        response = client.post(page.action, data=data)
    assert response.status_code == page.status, f"{page.id}: {response.status_code}"
    return response.get_data(as_text=True)
