"""A moderator's decisions on a post, each in the audit log; what the author sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.board.models import HELD, HIDDEN, PUBLIC, Answer, Notification, Question
from portal.core import time
from portal.extensions import db
from portal.membership.services import audit
from portal.membership.status import Status
from portal.moderation import services
from portal.moderation.models import (
    APPEAL,
    DISMISSED,
    HIDDEN_OUTCOME,
    PATIENT_INFO,
    RESTORED,
    Flag,
    ReviewItem,
)
from portal.moderation.services import decisions
from tests.core.test_csrf import token_from
from tests.factories import (
    answer,
    ask,
    audit_count,
    comment,
    deliver,
    flag,
    fresh,
    last_audit,
    make_member,
    make_moderator,
    page,
    path_of,
    sign_in,
    status_of,
)
from tests.mailbox import html_of, link_in, text_of

HIDE_REASON = "It names a patient; please remove the name and date of birth."


def items() -> list[ReviewItem]:
    db.session.expire_all()
    return list(db.session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


def flagged_answer(member, other):
    """An answer by ``other`` that a flag for patient information held."""
    question = ask(member)
    reply = answer(other, question, "John Smith, born 03/04/1950, was our patient.")
    flag(member, reply, PATIENT_INFO, note="Names a patient.")
    return question, reply


def test_dismiss_publishes_a_flag_held_post_and_is_audited(
    client, member, other, moderator
):
    question, reply = flagged_answer(member, other)
    assert fresh(Answer, reply.id).state == HELD
    sign_in(client, moderator)
    response = client.post(
        f"/moderation/answer/{reply.id}/dismiss", data={"reason": "Not a patient."}
    )
    assert response.status_code == 302
    assert "Dismissed: the answer is public." in page(client.get("/moderation"))
    assert fresh(Answer, reply.id).state == PUBLIC
    assert fresh(Question, question.id).answer_count == 1
    [item] = items()
    assert (item.outcome, item.closed_by_id, item.reason) == (
        DISMISSED,
        moderator.id,
        "Not a patient.",
    )
    assert all(f.resolved_at for f in db.session.scalars(select(Flag)))
    entry = last_audit()
    assert entry.action == services.POST_DISMISS
    assert (entry.actor_id, entry.user_id, entry.reason) == (
        moderator.id,
        other.id,
        "Not a patient.",
    )
    assert entry.detail == {
        "post": f"answer {reply.id}",
        "question": question.id,
        "state_before": HELD,
        "state_after": PUBLIC,
    }


def test_dismissing_what_is_not_waiting_changes_nothing(client, member, moderator):
    question = ask(member)
    before = audit_count()
    sign_in(client, moderator)
    client.post(f"/moderation/question/{question.id}/dismiss")
    assert "That post is not waiting for review." in page(
        client.get(f"/moderation/question/{question.id}")
    )
    assert audit_count() == before


def test_hide_tells_the_author_by_email_and_in_the_app(
    client, member, other, moderator, mailbox
):
    question, reply = flagged_answer(member, other)
    sign_in(client, moderator)
    response = client.post(
        f"/moderation/answer/{reply.id}/hide",
        data={"reason": HIDE_REASON, "next": "/moderation"},
    )
    assert response.headers["Location"] == "/moderation"
    assert fresh(Answer, reply.id).state == HIDDEN
    [item] = items()
    assert (item.outcome, item.reason) == (HIDDEN_OUTCOME, HIDE_REASON)
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.user_id, entry.reason) == (
        services.POST_HIDE,
        moderator.id,
        other.id,
        HIDE_REASON,
    )
    assert entry.detail["post"] == f"answer {reply.id}"

    deliver()
    message = mailbox.single(other.email)
    assert str(message["Subject"]) == "A moderator hid your answer"
    text = text_of(message)
    assert HIDE_REASON in text
    # The mail never carries the post's text: it may be the very identifier.
    assert "John Smith" not in text and "John Smith" not in html_of(message)
    notice = path_of(link_in(message, "/moderation/notices/"))
    assert notice == f"/moderation/notices/answer/{reply.id}"

    [note] = db.session.scalars(
        select(Notification).where(Notification.user_id == other.id)
    ).all()
    assert (note.kind, note.answer_id, note.question_id) == (
        "moderation",
        reply.id,
        question.id,
    )
    sign_in(client, other)
    listed = page(client.get("/notifications"))
    assert "A moderator hid your answer" in listed and notice in listed
    shown = page(client.get(notice))
    assert HIDE_REASON in shown and "Ask for a review" in shown
    assert f"/answers/{reply.id}/edit" in shown


def test_hide_needs_a_reason(client, member, other, moderator):
    _, reply = flagged_answer(member, other)
    sign_in(client, moderator)
    client.post(f"/moderation/answer/{reply.id}/hide", data={"reason": "  "})
    assert "Give a reason: the author is told it." in page(
        client.get(f"/moderation/answer/{reply.id}")
    )
    assert fresh(Answer, reply.id).state == HELD
    assert audit_count(services.POST_HIDE) == 0


def test_a_hidden_comment_is_hidden_and_its_author_told(
    client, member, other, moderator, mailbox
):
    question = ask(member)
    note = comment(other, question, "Rude words here.")
    sign_in(client, moderator)
    client.post(f"/moderation/comment/{note.id}/hide", data={"reason": "Be civil."})
    [told] = db.session.scalars(
        select(Notification).where(Notification.kind == "moderation")
    ).all()
    assert (told.user_id, told.comment_id) == (other.id, note.id)
    deliver()
    assert "your comment" in str(mailbox.single(other.email)["Subject"])


def test_restore_makes_a_hidden_post_public_and_is_audited(
    client, member, other, moderator
):
    question = ask(other)
    decisions.hide(moderator, question, "Spam.")
    db.session.commit()
    sign_in(client, member)
    assert client.get(f"/questions/{question.id}").status_code == 404
    sign_in(client, moderator)
    client.post(
        f"/moderation/question/{question.id}/restore", data={"reason": "Appealed."}
    )
    assert fresh(Question, question.id).state == PUBLIC
    assert last_audit().action == services.POST_RESTORE
    assert last_audit().detail["state_before"] == HIDDEN
    sign_in(client, member)
    assert client.get(f"/questions/{question.id}").status_code == 200
    again = sign_in(client, moderator).post(
        f"/moderation/question/{question.id}/restore"
    )
    assert again.status_code == 302
    assert audit_count(services.POST_RESTORE) == 1


def test_the_author_edits_and_asks_for_review_which_reopens_an_item(
    client, member, other, moderator
):
    _, reply = flagged_answer(member, other)
    decisions.hide(moderator, reply, HIDE_REASON)
    db.session.commit()
    sign_in(client, other)
    edited = client.post(
        f"/answers/{reply.id}/edit", data={"body": "A patient once asked us this."}
    )
    assert edited.status_code == 302
    notice = f"/moderation/notices/answer/{reply.id}"
    response = client.post(f"{notice}/appeal")
    assert response.headers["Location"] == notice
    assert "waiting for a moderator to look at it again" in page(client.get(notice))
    open_items = [item for item in items() if item.closed_at is None]
    assert [(i.cause, i.post_id) for i in open_items] == [(APPEAL, reply.id)]
    assert last_audit().action == services.POST_APPEAL
    assert fresh(Answer, reply.id).state == HIDDEN
    client.post(f"{notice}/appeal")
    assert "already waiting for a moderator" in page(client.get(notice))
    assert len(items()) == 2

    sign_in(client, moderator)
    queue = page(client.get("/moderation"))
    assert "Appeal:" in queue and "A patient once asked us this." in queue
    client.post(f"/moderation/answer/{reply.id}/restore")
    assert fresh(Answer, reply.id).state == PUBLIC
    assert items()[-1].outcome == RESTORED


def test_only_the_author_sees_the_notice_or_appeals(client, member, other, moderator):
    question = ask(other)
    decisions.hide(moderator, question, "Spam.")
    db.session.commit()
    sign_in(client, member)
    notice = f"/moderation/notices/question/{question.id}"
    assert client.get(notice).status_code == 404
    assert client.post(f"{notice}/appeal").status_code == 404
    assert len([i for i in items() if i.closed_at is None]) == 0


def test_a_public_post_cannot_be_appealed(client, member):
    question = ask(member)
    sign_in(client, member)
    notice = f"/moderation/notices/question/{question.id}"
    client.post(f"{notice}/appeal")
    assert "Only a hidden post can be sent back for review." in page(client.get(notice))
    assert items() == []


def test_a_moderator_may_hide_and_lock_but_not_suspend(
    client, member, other, moderator
):
    question = ask(other)
    before = audit_count()
    sign_in(client, moderator)
    until = (time.today() + timedelta(days=7)).isoformat()
    response = client.post(
        f"/moderation/question/{question.id}/suspend",
        data={"until": until, "reason": "Spammer."},
    )
    assert response.status_code == 403
    assert status_of(other) is Status.CURRENT
    assert audit_count() == before
    with pytest.raises(decisions.NotAllowed):
        decisions.suspend_author(moderator, question, time.today(), "Spammer.")
    assert "Suspend the author" not in page(
        client.get(f"/moderation/question/{question.id}")
    )
    client.post(f"/moderation/question/{question.id}/hide", data={"reason": "Spam."})
    client.post(f"/moderation/question/{question.id}/lock")
    question = fresh(Question, question.id)
    assert question.state == HIDDEN and question.is_locked


def test_an_admin_suspends_the_author_through_the_membership_rules(
    client, member, other, admin
):
    _, reply = flagged_answer(member, other)
    sign_in(client, admin)
    assert "Suspend the author" in page(client.get(f"/moderation/answer/{reply.id}"))
    until = time.today() + timedelta(days=7)
    client.post(
        f"/moderation/answer/{reply.id}/suspend",
        data={"until": until.isoformat(), "reason": "Posted patient details twice."},
    )
    assert status_of(other) is Status.SUSPENDED
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.reason) == (
        audit.SUSPEND,
        admin.id,
        "Posted patient details twice.",
    )
    assert entry.detail["post"] == f"answer {reply.id}"
    assert entry.detail["until"] == until.isoformat()
    # The membership rules still apply: a moderator has no membership to suspend.
    helper = make_moderator("helper@example.org", "Hal Helper")
    own = ask(helper)
    client.post(
        f"/moderation/question/{own.id}/suspend",
        data={"until": until.isoformat(), "reason": "r"},
    )
    assert "has no membership" in page(client.get(f"/moderation/question/{own.id}"))


def test_decisions_are_for_moderators_only(client, member, other):
    question, reply = flagged_answer(member, other)
    third = make_member("third@example.org", "Thea Third")
    before = audit_count()
    sign_in(client, third)
    for action in ("dismiss", "hide", "restore", "suspend"):
        url = f"/moderation/answer/{reply.id}/{action}"
        assert client.post(url, data={"reason": "r"}).status_code == 403, url
    for action in ("lock", "unlock", "duplicate", "reopen"):
        url = f"/moderation/question/{question.id}/{action}"
        assert client.post(url, data={"reason": "r"}).status_code == 403, url
    assert fresh(Answer, reply.id).state == HELD
    assert audit_count() == before


def test_decisions_on_deleted_or_unknown_posts_are_404(client, member, moderator):
    sign_in(client, moderator)
    for url in (
        "/moderation/answer/4242/hide",
        "/moderation/vote/1/hide",
        "/moderation/question/4242/lock",
    ):
        assert client.post(url, data={"reason": "r"}).status_code == 404, url


def test_a_decision_without_its_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        author = make_member("author@example.org", "Ada Author")
        question = ask(author)
        moderator = make_moderator()
        client = sign_in(app.test_client(), moderator)
        url = f"/moderation/question/{question.id}/hide"
        assert client.post(url, data={"reason": "Spam."}).status_code == 400
        assert fresh(Question, question.id).state == PUBLIC
        token = token_from(client.get("/moderation").data)
        client.post(url, data={"reason": "Spam.", "csrf_token": token})
        assert fresh(Question, question.id).state == HIDDEN
        db.session.remove()


def test_the_audit_screen_filters_on_moderation_decisions(client, member, other, admin):
    question = ask(other)
    decisions.hide(admin, question, "Spam.")
    db.session.commit()
    sign_in(client, admin)
    response = client.get("/admin/audit?action=post_hide")
    assert response.status_code == 200
    html = page(response)
    assert f"Hid question {question.id} by {admin.name} (public → hidden)." in html
    assert "Spam." in html
