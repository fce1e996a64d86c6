"""Held and hidden posts: invisible to members everywhere, visible to their
author (with a banner), to moderators and to admins (marked)."""

from __future__ import annotations

import pytest

from portal.board.errors import InvalidInput, NotAllowed
from portal.board.models import Answer, Question, Tag
from portal.board.queries.reputation import reputation_of
from portal.board.services import answers, comments, posts, threads
from portal.board.services.votes import cast_vote
from portal.extensions import db
from portal.moderation.services import decisions
from tests.factories import (
    answer,
    ask,
    comment,
    flag,
    fresh,
    hide,
    hold,
    make_member,
    make_moderator,
    page,
    release,
    sign_in,
)

SECRET = "A question about the ward's night shift rota"
LISTS = (
    "/",
    "/questions",
    "/questions?sort=active",
    "/questions?sort=top",
    "/questions?sort=unanswered",
    "/questions?tag=facebook",
    "/tags/facebook",
)


@pytest.fixture
def moderator(app):
    return make_moderator()


def seen(client, url: str) -> str:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    return page(response)


def tag_count(name: str = "facebook") -> int:
    db.session.expire_all()
    tag = db.session.scalars(db.select(Tag).where(Tag.name == name)).one()
    return tag.question_count


@pytest.mark.parametrize("state", ["held", "hidden"])
def test_a_non_public_question_is_invisible_to_members(client, member, other, state):
    question = ask(member, title=SECRET)
    reply = answer(other, question, "An answer nobody else should find.")
    (hold if state == "held" else hide)(question)
    sign_in(client, other)
    for url in LISTS:
        assert SECRET not in seen(client, url), url
    profile = seen(client, f"/members/{member.id}")
    assert SECRET not in profile and "No questions yet." in profile
    assert SECRET not in seen(client, f"/members/{other.id}")  # their answer's list
    for url in (
        f"/questions/{question.id}",
        f"/questions/{question.id}/revisions",
        f"/answers/{reply.id}/revisions",
        f"/answers/{reply.id}/edit",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"/questions/{question.id}/vote", {"value": "up"}),
        (f"/answers/{reply.id}/vote", {"value": "up"}),
        (f"/questions/{question.id}/answers", {"body": "Sneaky answer."}),
        (f"/questions/{question.id}/comments", {"body": "Sneaky comment."}),
        (f"/questions/{question.id}/follow", {}),
    ):
        assert client.post(url, data=data).status_code == 404, url
    assert fresh(Question, question.id).score == 0


def test_the_author_sees_a_held_question_with_a_banner(client, member):
    question = ask(member, title=SECRET)
    hold(question)
    sign_in(client, member)
    shown = seen(client, f"/questions/{question.id}")
    assert SECRET in shown
    assert "Held for review:</strong> only you and the moderators can see this." in (
        shown
    )
    assert 'id="answer-form"' not in shown and "Add a comment" not in shown
    profile = seen(client, f"/members/{member.id}")
    assert SECRET in profile and "held for review" in profile
    for url in LISTS:  # lists show public questions only, to everyone
        assert SECRET not in seen(client, url), url


def test_the_author_sees_a_hidden_question_with_a_generic_banner(client, member):
    question = ask(member, title=SECRET)
    hide(question)
    sign_in(client, member)
    shown = seen(client, f"/questions/{question.id}")
    assert "Hidden by a moderator:</strong> only you and the moderators" in shown


def test_the_author_reads_the_moderators_reason_on_the_banner(
    client, member, other, moderator
):
    question = ask(member, title=SECRET)
    flag(other, question)  # the queue's item keeps the decision's reason
    decisions.hide(moderator, question, "It named a patient.")
    db.session.commit()
    sign_in(client, member)
    shown = seen(client, f"/questions/{question.id}")
    assert "Hidden by a moderator:</strong> only you and the moderators" in shown
    assert "Reason: It named a patient." in shown


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_see_non_public_posts_marked(
    client, member, other, moderator, admin, role
):
    question = ask(member, title=SECRET)
    held_answer = answer(other, question, "Held answer text.")
    hidden_comment = comment(other, question, "Hidden comment text.")
    hold(question)
    hold(held_answer)
    hide(hidden_comment)
    sign_in(client, moderator if role == "moderator" else admin)
    shown = seen(client, f"/questions/{question.id}")
    assert SECRET in shown
    assert "members cannot see this question until a moderator releases it" in shown
    assert "Held answer text." in shown
    assert "members cannot see this answer" in shown
    assert "Hidden comment text." in shown and "hidden by a moderator" in shown
    assert SECRET in seen(client, f"/members/{member.id}")
    assert seen(client, f"/questions/{question.id}/revisions")
    for url in LISTS:  # moderators use the review queue
        assert SECRET not in seen(client, url), url


def test_in_a_thread_non_public_answers_and_comments_are_left_out_for_members(
    client, member, other
):
    question = ask(member)
    kept = answer(other, question, "A public answer.")
    held = answer(other, question, "A held answer.")
    hidden = comment(other, question, "A hidden comment.", on=kept)
    comment(other, question, "A public comment.", on=kept)
    hold(held)
    hide(hidden)
    reader = make_member("reader@example.org", "Rae Reader")
    sign_in(client, reader)
    shown = seen(client, f"/questions/{question.id}")
    assert "A public answer." in shown and "A public comment." in shown
    assert "A held answer." not in shown and "A hidden comment." not in shown
    assert "1 answer<" in shown
    assert client.get(f"/answers/{held.id}/revisions").status_code == 404
    vote = client.post(f"/answers/{held.id}/vote", data={"value": "up"})
    assert vote.status_code == 404
    sign_in(client, other)  # the author
    shown = seen(client, f"/questions/{question.id}")
    assert "A held answer." in shown and "A hidden comment." in shown
    assert "Held for review:</strong> only you and the moderators" in shown


def test_no_one_can_answer_comment_vote_or_accept_on_a_non_public_post(
    member, other, moderator
):
    question = ask(member)
    reply = answer(other, question)
    hold(reply)
    with pytest.raises(NotAllowed):
        cast_vote(moderator, reply, 1)
    with pytest.raises(NotAllowed):
        comments.add_comment(moderator, question, "On a held answer.", reply)
    with pytest.raises(NotAllowed):
        answers.accept_answer(member, reply)
    hide(question)
    with pytest.raises(NotAllowed):
        answers.post_answer(member, question, "An answer to a hidden question.")
    with pytest.raises(NotAllowed):
        comments.add_comment(member, question, "A comment on it.")
    db.session.rollback()


def test_counters_follow_the_state_back_and_forth(member, other):
    question = ask(member, tags="facebook")
    reply = answer(other, question)
    assert (tag_count(), fresh(Question, question.id).answer_count) == (1, 1)
    hold(question)
    hold(reply)
    assert (tag_count(), fresh(Question, question.id).answer_count) == (0, 0)
    hide(question)
    hide(reply)  # held to hidden: neither counted, nothing moves
    assert (tag_count(), fresh(Question, question.id).answer_count) == (0, 0)
    release(question)
    release(reply)
    assert (tag_count(), fresh(Question, question.id).answer_count) == (1, 1)
    hold(question)
    release(question)
    release(question)  # already public: nothing moves
    assert tag_count() == 1


def test_deleting_and_restoring_a_held_post_leaves_the_counters_alone(
    member, other, admin
):
    question = ask(member, tags="facebook")
    reply = answer(other, question)
    hold(question)
    hold(reply)
    posts.delete_post(other, reply)
    posts.delete_post(member, question)
    db.session.commit()
    assert (tag_count(), fresh(Question, question.id).answer_count) == (0, 0)
    posts.undelete_post(admin, fresh(Question, question.id))
    posts.undelete_post(admin, fresh(Answer, reply.id))
    db.session.commit()
    assert (tag_count(), fresh(Question, question.id).answer_count) == (0, 0)
    release(fresh(Question, question.id))
    release(fresh(Answer, reply.id))
    assert (tag_count(), fresh(Question, question.id).answer_count) == (1, 1)


def test_a_profile_counts_only_what_its_reader_may_see(client, member, other):
    ask(member, title="A public question about the newsletter")
    held = ask(member, title=SECRET)
    hold(held)
    sign_in(client, other)
    assert "<strong>1</strong> question<" in seen(client, f"/members/{member.id}")
    sign_in(client, member)
    assert "<strong>2</strong> questions" in seen(client, f"/members/{member.id}")


def test_votes_on_non_public_posts_earn_no_reputation_until_released(member, other):
    question = ask(member)
    reply = answer(other, question)
    cast_vote(member, reply, 1)
    db.session.commit()
    assert reputation_of(other.id) == 10
    hide(reply)
    assert reputation_of(other.id) == 1
    release(reply)
    assert reputation_of(other.id) == 10


def test_a_notification_about_a_non_public_post_keeps_no_text(client, member, other):
    question = ask(member, title=SECRET)
    note = comment(other, question, "A comment that gets hidden later.")
    sign_in(client, member)
    assert "A comment that gets hidden later." in seen(client, "/notifications")
    hide(note)
    shown = seen(client, "/notifications")
    assert "commented on" in shown and SECRET in shown
    assert "A comment that gets hidden later." not in shown
    comment(member, question, "The asker replies.")  # other follows: commented
    hold(question)
    sign_in(client, other)
    shown = seen(client, "/notifications")
    assert "commented on" in shown and "a question that is not public now" in shown
    assert SECRET not in shown and "The asker replies." not in shown


def test_a_locked_question_shows_no_forms_and_refuses_posts(
    client, member, other, moderator
):
    question = ask(member)
    reply = answer(other, question)
    threads.lock(question)
    db.session.commit()
    sign_in(client, other)
    shown = seen(client, f"/questions/{question.id}")
    assert "Locked by a moderator: this question takes no new answers" in shown
    assert 'id="answer-form"' not in shown and "Add a comment" not in shown
    assert "Vote up" in shown  # votes are not posts
    url = f"/questions/{question.id}/answers"
    assert client.post(url, data={"body": "Late answer."}).status_code == 403
    url = f"/questions/{question.id}/comments"
    data = {"body": "Late comment.", "answer_id": str(reply.id)}
    assert client.post(url, data=data).status_code == 403
    assert fresh(Question, question.id).answer_count == 1
    assert threads.unlock(fresh(Question, question.id))
    db.session.commit()
    assert 'id="answer-form"' in seen(client, f"/questions/{question.id}")


def test_lock_and_unlock_report_whether_they_changed_anything(member):
    question = ask(member)
    assert threads.lock(question) and not threads.lock(question)
    assert question.is_locked
    assert threads.unlock(question) and not threads.unlock(question)
    assert not question.is_locked


def test_a_duplicate_links_to_its_original_and_takes_no_answers(client, member, other):
    original = ask(member, title="How do we answer reviews on Google Maps?")
    duplicate = ask(other, title="Replying to Google Maps reviews of our clinic")
    assert threads.close_as_duplicate(duplicate, original)
    db.session.commit()
    sign_in(client, member)
    shown = seen(client, f"/questions/{duplicate.id}")
    assert "Closed as a duplicate of" in shown
    assert (
        f'<a href="/questions/{original.id}">'
        "How do we answer reviews on Google Maps?</a>."
    ) in shown
    assert 'id="answer-form"' not in shown and "Add a comment" in shown
    url = f"/questions/{duplicate.id}/answers"
    assert client.post(url, data={"body": "An answer here."}).status_code == 403
    assert "duplicate</span>" in seen(client, "/questions")
    assert threads.reopen(fresh(Question, duplicate.id))
    db.session.commit()
    shown = seen(client, f"/questions/{duplicate.id}")
    assert "Closed as a duplicate" not in shown and 'id="answer-form"' in shown


def test_closing_onto_a_duplicate_points_at_its_original(member, other):
    first = ask(member, title="Consent forms for patient stories on video")
    second = ask(other, title="Video consent for patient stories, again")
    third = ask(other, title="Patient story videos: what consent do we need?")
    threads.close_as_duplicate(third, second)
    threads.close_as_duplicate(second, first)
    db.session.commit()
    assert fresh(Question, second.id).duplicate_of_id == first.id
    assert fresh(Question, third.id).duplicate_of_id == first.id
    threads.close_as_duplicate(fresh(Question, third.id), fresh(Question, second.id))
    assert fresh(Question, third.id).duplicate_of_id == first.id


def test_an_original_must_be_another_public_question(member, other):
    question = ask(member)
    held = ask(other, title="A held question cannot be an original")
    hold(held)
    for original in (question, held):
        with pytest.raises(InvalidInput, match=r"itself|public question"):
            threads.close_as_duplicate(question, original)
    assert fresh(Question, question.id).duplicate_of_id is None


def test_non_public_posts_keep_the_page_statement_counts(
    client, member, other, moderator, count_statements
):
    from tests.querycount import statements_for

    question = ask(member)
    original = ask(member, title="The original question about hospital reviews")
    for n in range(3):
        answer(make_member(f"a{n}@example.org", f"Answerer {n}"), question)
    url = f"/questions/{question.id}"
    sign_in(client, other)
    plain = statements_for(client, count_statements, url)
    hold(answer(other, question, "Held."))
    hide(comment(other, question, "Hidden."))
    threads.close_as_duplicate(question, original)
    threads.lock(question)
    db.session.commit()
    assert statements_for(client, count_statements, url) == plain
    sign_in(client, moderator)
    assert statements_for(client, count_statements, url) == plain
