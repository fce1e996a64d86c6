"""The member's screens: their membership page, profile, and the directory."""

from __future__ import annotations

from datetime import date

import pytest

from portal.core import time
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.services import grants, standing
from portal.membership.services.grants import find_membership
from portal.membership.services.profiles import update_profile
from tests.core.test_csrf import token_from
from tests.factories import (
    PASSWORD,
    add_residency,
    days,
    login,
    make_graduate,
    make_user,
    page,
)

RENEW_TEXT = "Attend another Social Media Residency"
BUTTON = "Request renewal</button>"
CONTACT = 'write to the network at <a href="mailto:network@portal.test">'


def main(response) -> str:
    """The page without the header (whose menu names the signed-in member)."""
    return page(response).split('<main id="main"')[1]


def signed_in(client, user):
    assert login(client, user.email).status_code == 302
    return client


def build(kind: str, today: date):
    """A signed-up graduate whose status today is ``kind``."""
    starts = {
        "current": today - days(10),
        "grace": today - days(370),
        "expired": today - days(400),
        "upcoming": today + days(10),
        "revoked": today - days(10),
        "suspended": today - days(10),
    }
    user = make_graduate(f"{kind}@example.org", start=starts[kind], today=starts[kind])
    if kind == "revoked":
        standing.revoke(user, actor=None, reason="Shared patient data", today=today)
    if kind == "suspended":
        standing.suspend(
            user, actor=None, until=today + days(7), reason="Pause", today=today
        )
    db.session.commit()
    return user


def listed(email: str, today: date, name: str = "Grace Graduate", **profile):
    """A current member who opted in to the directory."""
    user = make_graduate(email, start=today - days(10), today=today - days(10))
    user.name = name
    fields = {
        "title": None,
        "organisation": None,
        "specialty": None,
        "platforms": [],
        "bio": None,
        **profile,
    }
    update_profile(user, directory_opt_in=True, **fields)
    db.session.commit()
    return user


def test_current_member_sees_dates_days_left_and_history(client, today):
    residency = add_residency(today - days(10), "Residency Porto")
    user = make_user("m@example.org", "Mia Member")
    grants.grant_term(user, actor=None, residency=residency, notify=False)
    db.session.commit()
    membership = find_membership(user)
    html = page(signed_in(client, user).get("/membership"))
    assert "Current" in html
    assert "Residency class of Residency Porto" in html
    assert format_date(membership.starts_on) in html
    assert format_date(membership.ends_on) in html
    left = (membership.ends_on - today).days
    assert f"<dt>Days left</dt><dd>{left}</dd>" in html
    assert "Residency: Residency Porto" in html  # the history of terms
    assert "Read the board, ask, answer and vote." in html
    assert RENEW_TEXT in html and CONTACT in html
    assert BUTTON not in html  # far from its end: nothing to ask for yet


@pytest.mark.parametrize(
    ("kind", "reason", "way_back"),
    [
        ("expired", "Your membership expired on", BUTTON),
        ("revoked", "Your membership has been revoked.", CONTACT),
        ("suspended", "Your membership is suspended until", CONTACT),
        ("upcoming", "Your membership starts on", RENEW_TEXT),
    ],
)
def test_closed_members_see_why_and_their_way_back_but_not_the_directory(
    client, today, kind, reason, way_back
):
    user = build(kind, today)
    signed_in(client, user)
    own = client.get("/membership")
    assert own.status_code == 200
    html = page(own)
    assert reason in html
    assert way_back in html
    assert "The board and the directory are closed to you." in html
    assert "Shared patient data" not in html  # the admin's note stays internal
    assert client.get("/profile").status_code == 200
    directory = client.get("/directory")
    assert directory.status_code == 403
    assert reason in page(directory)
    assert 'href="/membership"' in page(directory)
    assert client.get("/").headers["Location"].endswith("/membership")


def test_grace_member_reads_the_directory_and_is_told_to_renew(client, today):
    user = build("grace", today)
    signed_in(client, user)
    assert "renew to post" in page(client.get("/membership"))
    assert client.get("/directory").status_code == 200


def test_member_without_membership_is_told_so(client):
    user = make_user("none@example.org", "No One")
    html = page(signed_in(client, user).get("/membership"))
    assert "You do not have a membership of the network." in html
    assert "No terms yet." in html


def test_strangers_are_sent_to_sign_in(client):
    for url in ("/membership", "/profile", "/directory", "/members/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_profile_is_saved_and_shown_again(client, today):
    user = build("current", today)
    signed_in(client, user)
    response = client.post(
        "/profile",
        data={
            "title": " Nurse practitioner ",
            "organisation": "Hospital Lisboa",
            "specialty": "Oncology",
            "platforms": "LinkedIn, TikTok, linkedin,, ",
            "bio": "I post about patient education.",
            "directory_opt_in": "y",
        },
    )
    assert response.status_code == 302
    html = page(client.get("/profile"))
    assert 'value="Nurse practitioner"' in html
    assert 'value="LinkedIn, TikTok"' in html
    assert "checked" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bio": "x" * 501}, "Field cannot be longer than 500 characters."),
        ({"title": "x" * 10_000}, "Field cannot be longer than 200 characters."),
        ({"platforms": ",".join(f"p{n}" for n in range(13))}, "at most 12 platforms"),
        ({"platforms": "x" * 41}, "longer than 40 characters"),
        ({"organisation": "Clinic\x07"}, "control characters"),
    ],
)
def test_hostile_profile_input_is_explained(client, today, data, message):
    user = build("current", today)
    response = signed_in(client, user).post("/profile", data=data)
    assert response.status_code == 400
    assert message in page(response)


def test_a_huge_field_is_refused_cleanly(client, today):
    user = build("current", today)
    response = signed_in(client, user).post("/profile", data={"bio": "x" * 900_000})
    assert response.status_code == 400
    assert "cannot be longer than 500 characters" in page(response)


def test_directory_lists_current_members_who_opted_in(client, today):
    porto = add_residency(today - days(10), "Residency Porto")
    ana = listed(
        "ana@example.org",
        today,
        "Ana Silva",
        organisation="Hospital Lisboa",
        platforms=["LinkedIn"],
    )
    grants.grant_term(ana, actor=None, residency=porto, notify=False)
    listed("bo@example.org", today, "Bo Chen", platforms=["TikTok"])
    hidden = build("current", today)  # never opted in
    expired = listed("old@example.org", today, "Old Timer")
    membership = find_membership(expired)
    membership.starts_on, membership.ends_on = today - days(500), today - days(100)
    db.session.commit()
    signed_in(client, hidden)
    html = page(client.get("/directory"))
    assert "Ana Silva" in html and "Bo Chen" in html
    assert "Old Timer" not in html
    assert hidden.name not in main(client.get("/directory"))
    assert "You are not listed" in html
    assert "Residency class of Residency Porto" in html


@pytest.mark.parametrize(
    ("query", "found", "missing"),
    [
        ({"q": "silva"}, "Ana Silva", "Bo Chen"),
        ({"q": "lisboa"}, "Ana Silva", "Bo Chen"),
        ({"q": "tiktok"}, "Bo Chen", "Ana Silva"),
        ({"platform": "LinkedIn"}, "Ana Silva", "Bo Chen"),
        ({"q": "100%_"}, None, "Ana Silva"),
    ],
)
def test_directory_search_by_name_organisation_and_platform(
    client, today, query, found, missing
):
    ana = listed(
        "ana@example.org",
        today,
        "Ana Silva",
        organisation="Hospital Lisboa",
        platforms=["LinkedIn"],
    )
    listed("bo@example.org", today, "Bo Chen", platforms=["TikTok"])
    html = main(signed_in(client, ana).get("/directory", query_string=query))
    if found:
        assert found in html
    assert f">{missing}</a>" not in html


def test_an_empty_directory_says_how_to_be_listed(client, today):
    user = build("current", today)
    html = main(signed_in(client, user).get("/directory"))
    assert "Nobody has listed themselves yet." in html
    assert '<a href="/profile">List yourself from your profile</a>' in html
    listed("bo@example.org", today, "Bo Chen")
    html = main(client.get("/directory", query_string={"q": "nobody-by-this-name"}))
    assert "No members match that search." in html
    assert "Nobody has listed themselves yet." not in html


def test_directory_search_that_is_too_long_is_explained(client, today):
    user = build("current", today)
    response = signed_in(client, user).get("/directory", query_string={"q": "x" * 500})
    assert response.status_code == 400
    assert "Field cannot be longer than 200 characters." in page(response)


def test_the_old_directory_card_redirects_to_the_one_profile_page(client, today):
    ana = listed("ana@example.org", today, "Ana Silva")
    response = signed_in(client, build("current", today)).get(f"/directory/{ana.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/members/{ana.id}"


def test_profile_page_shows_class_badge_and_the_fields_of_listed_members(client, today):
    ana = listed("ana@example.org", today, "Ana Silva", bio="Hello <b>there</b>")
    porto = add_residency(today - days(10), "Residency Porto")
    grants.grant_term(ana, actor=None, residency=porto, notify=False, today=today)
    db.session.commit()
    signed_in(client, build("grace", today))
    html = page(client.get(f"/members/{ana.id}"))
    assert "Ana Silva" in html and "Residency class of Residency Porto" in html
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in html
    assert client.get("/members/999999").status_code == 404
    assert client.get(f"/members/{2**40}").status_code == 404


def test_private_profile_fields_stay_private_but_the_member_sees_their_own(
    client, today
):
    hidden = build("current", today)
    update_profile(
        hidden,
        title=None,
        organisation="Secret Hospital",
        specialty=None,
        platforms=[],
        bio=None,
        directory_opt_in=False,
    )
    db.session.commit()
    reader = listed("reader@example.org", today)
    html = page(signed_in(client, reader).get(f"/members/{hidden.id}"))
    assert hidden.name in html and "Secret Hospital" not in html
    client.post("/logout")
    own = page(signed_in(client, hidden).get(f"/members/{hidden.id}"))
    assert "Secret Hospital" in own and "Only you and the network" in own


def test_closed_member_cannot_open_a_profile_either(client, today):
    ana = listed("ana@example.org", today, "Ana Silva")
    expired = build("expired", today)
    assert signed_in(client, expired).get(f"/members/{ana.id}").status_code == 403


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/residencies", "/admin/members", "/admin/audit"]
)
def test_members_get_403_on_admin_screens(client, today, url):
    user = build("current", today)
    assert signed_in(client, user).get(url).status_code == 403


def test_navigation_shows_only_what_the_member_may_use(client, today):
    user = build("expired", today)
    html = page(signed_in(client, user).get("/membership"))
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert "My membership" in nav and "Profile" in nav
    assert "Directory" not in nav and "Members" not in nav


def test_profile_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = build("current", time.today())
        client = app.test_client()
        token = token_from(client.get("/login").data)
        data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302
        response = client.post("/profile", data={"title": "Sneaky"})
        assert response.status_code == 400
        assert b"The form expired" in response.data
        token = token_from(client.get("/profile").data)
        data = {"title": "Honest", "csrf_token": token}
        assert client.post("/profile", data=data).status_code == 302
        db.session.remove()
