"""The portal's main pages, each as the person who sees it, filled with data.

The accessibility checks (axe in Chromium, the Nu HTML Checker, the 390 px
width) walk this one list, so a page added here is checked by all of them.
``build_site`` writes the data through the factories on an empty database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from flask.testing import FlaskClient

from portal.core import time as portal_time
from portal.moderation.models import OFF_TOPIC
from tests import factories as f

ADMIN = "admin@example.org"
MODERATOR = "moderator@example.org"
ASKER = "asha@example.org"
ANSWERER = "omar@example.org"
ENDED = "gale@example.org"

ROSTER = f.roster_csv(
    "ana@example.org,Ana Silva,Hospital Lisboa,Nurse",
    "bruno@example.org,Bruno Costa,Clínica Porto,Communications lead",
    "ines@example.org,Inês Graduate,Hospital Faro,Nurse",
)


@dataclass(frozen=True)
class Page:
    """A page as ``who`` (an email; None when signed out) opens it.

    ``roster`` is the file that page's form uploads: the page checked is the
    response (the roster preview), as an admin reaches it.
    """

    who: str | None
    name: str
    path: str
    roster: bytes | None = None

    @property
    def id(self) -> str:
        return f"{self.who.split('@')[0] if self.who else 'signed-out'}: {self.name}"


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
    message = f.outbox("invitation")[0]

    q, a = question.id, first.id
    signed_out = [
        ("sign in", "/login"),
        ("forgot password", "/password/forgot"),
        ("invitation", f.invitation_path(newcomer)),
        ("page not found", "/no-such-page"),
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
    return [
        *(Page(None, name, path) for name, path in signed_out),
        *(Page(ASKER, name, path) for name, path in member),
        Page(ENDED, "membership in grace", "/membership"),
        *(Page(MODERATOR, name, path) for name, path in moderation),
        *(Page(ADMIN, name, path) for name, path in admin_pages),
        Page(ADMIN, "roster preview", f"/admin/residencies/{r}/roster", ROSTER),
    ]


def fetch(client: FlaskClient, page: Page) -> str:
    """The page's HTML through the test client, signed in as ``page.who``."""
    if page.roster is None:
        response = client.get(page.path)
    else:
        upload = {"roster": (BytesIO(page.roster), "roster.csv")}
        response = client.post(f"{page.path}/preview", data=upload)
    expected = 404 if page.name == "page not found" else 200
    assert response.status_code == expected, f"{page.id}: {response.status_code}"
    return response.get_data(as_text=True)
