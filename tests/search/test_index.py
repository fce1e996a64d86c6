"""The index follows every change to a thread, in the change's own transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.board.models import Question
from portal.board.services import answers, posts, questions
from portal.extensions import db
from portal.search.models import SearchDocument
from portal.search.queries import search, similar
from portal.search.services import (
    build_documents,
    index_question,
    reindex_all,
    remove_question,
)
from tests.search.helpers import (
    accept,
    answer,
    ask,
    delete,
    edit,
    found,
    undelete,
    vote,
)


def document(question_id: int) -> SearchDocument | None:
    db.session.expire_all()
    return db.session.get(SearchDocument, question_id)


def test_an_edit_replaces_the_old_words(member):
    question = ask(member, "Livestreaming a surgery on Facebook", tags="facebook")
    edit(member, question, title="Livestreaming a graduation on YouTube")
    assert found("surgery") == []
    assert found("graduation youtube") == [question.id]
    edit(member, question, tags="youtube, strategy", body="Any tips for sound?")
    assert found("tag:facebook") == []
    assert found("tag:youtube sound") == [question.id]
    assert found("strategy") == [question.id]  # tags are searched as words too


def test_a_deleted_question_disappears_everywhere_and_comes_back(member, admin):
    question = ask(member, "Responding to misinformation about measles vaccines")
    delete(member, question)
    assert document(question.id) is None
    assert found("measles") == []
    assert found("tag:strategy") == []
    assert similar("Misinformation about measles") == []
    undelete(admin, question)
    assert found("measles") == [question.id]
    assert [s.question_id for s in similar("measles misinformation")] == [question.id]


def test_answers_follow_posting_deleting_and_undeleting(member, other, admin):
    question = ask(member, "Who writes the captions for your videos?")
    reply = answer(other, question, "Our audiologist reviews every caption.")
    assert found("audiologist") == [question.id]
    assert search("audiologist").hits[0].answer_count == 1
    accept(member, reply)
    assert search("audiologist").hits[0].has_accepted
    delete(other, reply)
    assert found("audiologist") == []
    [hit] = search("captions").hits
    assert hit.answer_count == 0 and not hit.has_accepted
    assert found("captions is:unanswered") == [question.id]
    undelete(admin, reply)
    assert found("audiologist") == [question.id]
    assert found("captions is:accepted") == []  # the asker accepts again


def test_votes_update_the_score_without_touching_the_text(member, other):
    question = ask(member, "Budget for paid social at a rural clinic")
    vote(other, question)
    [hit] = search("budget").hits
    assert hit.score == 1
    stored = document(question.id)
    assert stored is not None and stored.boost > 1.0


def test_the_index_is_written_in_the_callers_transaction(member):
    question = questions.ask_question(
        member, "Rolled back before it was seen", "Body", "x"
    )
    index_question(question.id)
    assert found("rolled") == [question.id]
    db.session.rollback()
    assert found("rolled") == []
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 0


def test_unknown_or_removed_questions_are_harmless(member):
    index_question(123_456)
    remove_question(123_456)
    question = ask(member, "A question removed by hand from the index")
    remove_question(question.id)
    db.session.commit()
    assert found("removed") == []


def test_reindex_all_rebuilds_from_the_board(member, other):
    # Written through the board only: the index knows nothing of these.
    kept = questions.ask_question(
        member, "Reels for a physiotherapy clinic", "Body", "x"
    )
    gone = questions.ask_question(
        member, "Reels for a deleted question here", "Body", "x"
    )
    answers.post_answer(other, kept, "Short exercises filmed in portrait.")
    dropped = answers.post_answer(other, kept, "An answer that will be deleted.")
    posts.delete_post(member, gone)
    posts.delete_post(other, dropped)
    stale = ask(member, "A stale document with no question behind it")
    db.session.execute(
        SearchDocument.__table__.update().values(title="Something else entirely")
    )
    db.session.commit()
    assert found("reels") == []

    assert reindex_all() == 2
    db.session.commit()
    assert found("reels") == [kept.id]
    assert found("exercises portrait") == [kept.id]
    assert found("deleted") == []
    assert found("stale") == [stale.id]
    assert found("entirely") == []


def test_reindex_all_writes_what_index_question_writes(member, other):
    question = ask(member, "Comparing analytics tools for a health system")
    accept(member, answer(other, question, "We use the native dashboards."))
    answer(member, question, "Thanks! We also tried a paid tool.")
    before = build_documents([question.id])
    stored = document(question.id)
    assert stored is not None
    assert {k: getattr(stored, k) for k in before[0]} == before[0]
    reindex_all()
    db.session.commit()
    after = document(question.id)
    assert after is not None
    assert {k: getattr(after, k) for k in before[0]} == before[0]
    assert before[0]["answers"].startswith("We use the native dashboards.")


def test_only_visible_questions_have_documents(member, admin):
    questions = [
        ask(member, f"Visible question number {n} about blogs") for n in range(3)
    ]
    delete(member, questions[1])
    visible = db.session.scalars(
        select(Question.id).where(Question.deleted_at.is_(None))
    ).all()
    indexed = db.session.scalars(select(SearchDocument.question_id)).all()
    assert sorted(indexed) == sorted(visible)
