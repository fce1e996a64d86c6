"""Editing keeps every revision; the history page highlights what changed."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.board.models import Answer, Question, Revision
from portal.board.queries.revisions import diff_html
from portal.extensions import db
from tests.factories import answer, ask, fresh, make_grace_member, sign_in

EDIT = {
    "title": "How do you handle negative reviews on Instagram?",
    "body": "Our clinic page gets angry comments. What do you reply?",
    "tags": "instagram, crisis",
    "submit": "Save",
}


def revision_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Revision)) or 0


def test_asker_edits_and_a_revision_is_kept(client, member):
    question = ask(member)
    sign_in(client, member)
    assert client.get(f"/questions/{question.id}/edit").status_code == 200
    response = client.post(f"/questions/{question.id}/edit", data=EDIT)
    assert response.status_code == 302
    edited = fresh(Question, question.id)
    assert edited.title == EDIT["title"]
    assert [t.name for t in edited.tags] == ["crisis", "instagram"]
    assert edited.edited_at is not None
    assert revision_count() == 2
    latest = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert latest.editor_id == member.id and latest.tags == "crisis instagram"


def test_saving_without_changes_adds_no_revision(client, member):
    question = ask(member)
    sign_in(client, member)
    client.post(
        f"/questions/{question.id}/edit",
        data={
            "title": question.title,
            "body": question.body,
            "tags": "facebook, crisis",
        },
    )
    assert revision_count() == 1
    assert fresh(Question, question.id).edited_at is None


def test_history_page_highlights_changes_escaped(client, member, other):
    question = ask(member)
    sign_in(client, member)
    client.post(
        f"/questions/{question.id}/edit",
        data={
            **EDIT,
            "body": "Our clinic page gets <script>alert(1)</script> comments.",
        },
    )
    page = client.get(f"/questions/{question.id}/revisions").get_data(as_text=True)
    assert "<ins>Instagram</ins>" in page and "<del>Facebook</del>" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    question_page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert (
        "edited" in question_page
        and f"/questions/{question.id}/revisions" in question_page
    )
    # Anyone who can read the question can read its history.
    sign_in(client, make_grace_member())
    assert client.get(f"/questions/{question.id}/revisions").status_code == 200


def test_edit_is_refused_for_someone_elses_question(client, member, other):
    question = ask(member)
    sign_in(client, other)
    assert client.get(f"/questions/{question.id}/edit").status_code == 403
    assert client.post(f"/questions/{question.id}/edit", data=EDIT).status_code == 403
    assert fresh(Question, question.id).title != EDIT["title"]
    assert revision_count() == 1


def test_admin_may_edit_any_question(client, member, admin):
    question = ask(member)
    sign_in(client, admin)
    assert client.post(f"/questions/{question.id}/edit", data=EDIT).status_code == 302
    latest = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert latest.editor_id == admin.id


def test_answer_edit_by_author_only(client, member, other):
    question = ask(member)
    reply = answer(other, question, "Original answer.")
    sign_in(client, member)
    assert (
        client.post(f"/answers/{reply.id}/edit", data={"body": "Hijacked."}).status_code
        == 403
    )
    assert fresh(Answer, reply.id).body == "Original answer."
    sign_in(client, other)
    response = client.post(
        f"/answers/{reply.id}/edit", data={"body": "Better answer.", "submit": "Save"}
    )
    assert response.status_code == 302
    assert fresh(Answer, reply.id).body == "Better answer."
    history = client.get(f"/answers/{reply.id}/revisions").get_data(as_text=True)
    assert "<del>Original</del>" in history and "<ins>Better</ins>" in history


def test_answer_edit_preview(client, member, other):
    question = ask(member)
    reply = answer(other, question, "Original answer.")
    sign_in(client, other)
    response = client.post(
        f"/answers/{reply.id}/edit", data={"body": "**new**", "preview": "Preview"}
    )
    assert "<strong>new</strong>" in response.get_data(as_text=True)
    assert fresh(Answer, reply.id).body == "Original answer."


def test_grace_member_cannot_edit_own_question(client, app):
    author = make_grace_member()
    question = ask(author)
    sign_in(client, author)
    assert client.post(f"/questions/{question.id}/edit", data=EDIT).status_code == 403


def test_diff_marks_words_and_escapes_everything():
    html = str(diff_html("a <b> c", "a <i> c & d"))
    assert html == "a &lt;<del>b</del><ins>i</ins>&gt; c<ins> &amp; d</ins>"


def test_browser_line_endings_do_not_count_as_changes(client, member):
    question = ask(member, body="Line one.\n\nLine two.")
    sign_in(client, member)
    client.post(
        f"/questions/{question.id}/edit",
        data={
            "title": question.title,
            "body": "Line one.\r\n\r\nLine two.",
            "tags": "facebook, crisis",
        },
    )
    assert revision_count() == 1
    assert fresh(Question, question.id).body == "Line one.\n\nLine two."
