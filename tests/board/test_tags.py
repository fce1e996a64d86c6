"""Tags: names, the starter set, following, the tag page and admin management."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.board.errors import InvalidInput
from portal.board.models import Tag, TagFollow
from portal.board.services import posts, questions
from portal.board.services.follows import follow_tag, unfollow_tag
from portal.board.services.tags import STARTER_TAGS, ensure_starter_tags, normalise_tag
from portal.extensions import db
from tests.factories import ask, make_grace_member, sign_in


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Facebook", "facebook"),
        ("  Patient Stories ", "patient-stories"),
        ("physician_brand", "physician-brand"),
        ("X / Twitter", "x-twitter"),
        ("HIPAA!!", "hipaa"),
        ("crème brûlée", "crme-brle"),
        ("a" * 25, "a" * 25),
    ],
)
def test_tag_names_are_normalised(typed, stored):
    assert normalise_tag(typed) == stored


@pytest.mark.parametrize("typed", ["", "!!!", "---", "a" * 26])
def test_unusable_tag_names_are_refused(typed):
    with pytest.raises(InvalidInput):
        normalise_tag(typed)


def tag_names() -> list[str]:
    return list(db.session.scalars(select(Tag.name).order_by(Tag.name)))


def test_starter_tags_are_created_once_and_keep_admin_edits(app):
    ensure_starter_tags()
    db.session.commit()
    hipaa = db.session.scalar(select(Tag).where(Tag.name == "hipaa"))
    hipaa.description = "Edited by an admin."
    db.session.commit()
    ensure_starter_tags()
    db.session.commit()
    assert tag_names() == sorted(STARTER_TAGS)
    assert db.session.scalar(select(Tag.description).where(Tag.name == "hipaa")) == (
        "Edited by an admin."
    )


def test_cli_seeds_the_starter_tags(runner):
    result = runner.invoke(args=["board", "tags-seed"])
    assert result.exit_code == 0, result.output
    assert "16 starter tags" in result.output
    assert len(tag_names()) == 16
    assert runner.invoke(args=["board", "tags-seed"]).exit_code == 0
    assert len(tag_names()) == 16


def test_tag_page_shows_description_and_counts(client, member, other):
    ensure_starter_tags()
    ask(member, tags="youtube")
    ask(other, title="YouTube Shorts for patient education?", tags="youtube, strategy")
    sign_in(client, other)
    client.post("/tags/youtube/follow")
    client.post("/tags/youtube/follow")
    page = client.get("/tags/youtube").get_data(as_text=True)
    assert STARTER_TAGS["youtube"] in page
    assert "2 questions" in page and "1 follower" in page
    assert "Unfollow" in page
    client.post("/tags/youtube/unfollow")
    assert db.session.scalar(select(func.count()).select_from(TagFollow)) == 0


def test_tag_list_counts_only_visible_questions(client, member):
    from portal.board.services.posts import delete_post

    ask(member, tags="blogs")
    gone = ask(member, title="A deleted question about blogs", tags="blogs")
    delete_post(member, gone)
    db.session.commit()
    sign_in(client, member)
    page = client.get("/tags").get_data(as_text=True)
    assert "1 question ·" in page


def test_grace_member_reads_tags_but_cannot_follow(client, member):
    ask(member, tags="tiktok")
    sign_in(client, make_grace_member())
    assert client.get("/tags/tiktok").status_code == 200
    assert client.post("/tags/tiktok/follow").status_code == 403


def tag_counts(name: str) -> tuple[int, int]:
    db.session.expire_all()
    tag = db.session.scalar(select(Tag).where(Tag.name == name))
    return tag.question_count, tag.follower_count


def test_tag_counters_follow_asks_edits_deletes_and_follows(member, other, admin):
    question = ask(member, tags="tiktok, policy")
    ask(other, title="Another question about TikTok policies", tags="tiktok")
    assert tag_counts("tiktok") == (2, 0)
    questions.edit_question(member, question, question.title, question.body, "policy")
    db.session.commit()
    assert tag_counts("tiktok") == (1, 0) and tag_counts("policy") == (1, 0)
    posts.delete_post(member, question)
    posts.delete_post(member, question)  # a double submit counts once
    db.session.commit()
    assert tag_counts("policy") == (0, 0)
    posts.undelete_post(admin, question)
    db.session.commit()
    assert tag_counts("policy") == (1, 0)
    tiktok = db.session.scalar(select(Tag).where(Tag.name == "tiktok"))
    assert follow_tag(other, tiktok) and not follow_tag(other, tiktok)
    follow_tag(member, tiktok)
    unfollow_tag(member, tiktok)
    unfollow_tag(member, tiktok)
    db.session.commit()
    assert tag_counts("tiktok") == (1, 1)
