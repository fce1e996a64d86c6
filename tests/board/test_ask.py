"""Asking a question: form, preview, tags, and who may ask."""

from __future__ import annotations

from sqlalchemy import func, select, update

from portal.board.models import Question, QuestionFollow, Revision, Tag
from portal.board.services.tags import ensure_starter_tags
from portal.core.markdown import RENDERER_VERSION
from portal.extensions import db
from tests.factories import (
    ask,
    make_expired_member,
    make_grace_member,
    sign_in,
)

GOOD = {
    "title": "Should residents have their own TikTok accounts?",
    "body": "Our policy says **no**, but many do anyway.",
    "tags": "TikTok, Policy",
}


def question_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Question)) or 0


def test_member_asks_a_question_and_follows_it(client, member):
    ensure_starter_tags()
    db.session.commit()
    sign_in(client, member)
    response = client.post("/questions/ask", data={**GOOD, "submit": "Post"})
    assert response.status_code == 302
    question = db.session.scalars(select(Question)).one()
    assert response.headers["Location"].endswith(f"/questions/{question.id}")
    assert question.author_id == member.id
    assert [tag.name for tag in question.tags] == ["policy", "tiktok"]
    assert db.session.get(QuestionFollow, (member.id, question.id)) is not None
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "<strong>no</strong>" in page
    assert "Should residents have their own TikTok accounts?" in page


def test_the_original_is_kept_as_the_first_revision(client, member):
    sign_in(client, member)
    client.post("/questions/ask", data={**GOOD, "submit": "Post"})
    revision = db.session.scalars(select(Revision)).one()
    assert revision.title == GOOD["title"]
    assert revision.tags == "policy tiktok"


def test_preview_renders_the_body_and_posts_nothing(client, member):
    sign_in(client, member)
    response = client.post(
        "/questions/ask",
        data={**GOOD, "body": "# Heading\n\n*stress*", "preview": "Preview"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Heading</h1>" in page and "<em>stress</em>" in page
    # The form keeps what was typed so the member can carry on.
    assert 'value="Should residents have their own TikTok accounts?"' in page
    assert question_count() == 0


def test_admin_may_ask(client, admin):
    sign_in(client, admin)
    assert (
        client.post("/questions/ask", data={**GOOD, "submit": "Post"}).status_code
        == 302
    )
    assert question_count() == 1


def test_title_must_be_15_to_150_characters(client, member):
    sign_in(client, member)
    short = client.post("/questions/ask", data={**GOOD, "title": "Too short?"})
    long = client.post("/questions/ask", data={**GOOD, "title": "x" * 151})
    assert short.status_code == long.status_code == 400
    assert "15 to 150 characters" in short.get_data(as_text=True)
    assert question_count() == 0


def test_one_to_five_tags(client, member):
    sign_in(client, member)
    none = client.post("/questions/ask", data={**GOOD, "tags": " , "})
    six = client.post("/questions/ask", data={**GOOD, "tags": "a, b, c, d, e, f"})
    assert none.status_code == six.status_code == 400
    assert "between 1 and 5 tags" in six.get_data(as_text=True)
    assert question_count() == 0


def test_new_tags_are_normalised_and_created(client, member):
    sign_in(client, member)
    client.post(
        "/questions/ask",
        data={**GOOD, "tags": "Patient Stories, Google_Reviews!, patient-stories"},
    )
    names = db.session.scalars(select(Tag.name).order_by(Tag.name)).all()
    assert names == ["google-reviews", "patient-stories"]


def test_tag_longer_than_25_characters_is_refused(client, member):
    sign_in(client, member)
    response = client.post("/questions/ask", data={**GOOD, "tags": "a" * 26})
    assert response.status_code == 400
    assert "longer than 25" in response.get_data(as_text=True)


def test_grace_member_may_read_but_not_ask(client, app):
    sign_in(client, make_grace_member())
    assert client.get("/questions").status_code == 200
    response = client.get("/questions/ask")
    assert response.status_code == 403
    assert "renew" in response.get_data(as_text=True).lower()
    assert client.post("/questions/ask", data=GOOD).status_code == 403
    assert question_count() == 0


def test_expired_member_sees_nothing_of_the_board(client, app):
    sign_in(client, make_expired_member())
    assert client.get("/questions").status_code == 403
    assert client.get("/tags").status_code == 403
    assert client.post("/questions/ask", data=GOOD).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, app):
    response = client.get("/questions")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_posts_store_their_sanitised_html_and_old_renderings_are_redone(
    client, member, runner
):
    question = ask(member, body="**Bold** <script>alert(1)</script>")
    db.session.expire_all()
    stored = db.session.get(Question, question.id)
    assert stored.body_html_version == RENDERER_VERSION
    assert "<strong>Bold</strong>" in stored.body_html
    assert "<script>" not in stored.body_html
    # As if written by an older renderer: the page renders afresh, the command
    # stores the fresh rendering.
    db.session.execute(
        update(Question).values(body_html="<p>stale</p>", body_html_version=0)
    )
    db.session.commit()
    sign_in(client, member)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in page and "stale" not in page
    result = runner.invoke(args=["board", "render"])
    assert result.exit_code == 0 and "1 post rendered again." in result.output
    db.session.expire_all()
    assert "<strong>Bold</strong>" in db.session.get(Question, question.id).body_html
