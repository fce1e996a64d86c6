"""Board changes through the board's services (which keep the index in step
through ``board.events``), committed. A vote does not re-index, so ``vote``
stands in for the nightly ``flask search reindex`` of that thread."""

from __future__ import annotations

from typing import Any

from portal.auth.models import User
from portal.board.models import Answer, Post, Question
from portal.board.services import answers, posts, questions
from portal.board.services.votes import cast_vote
from portal.extensions import db
from portal.search.queries import search
from portal.search.services import index_question

BODY = "Our clinic wants advice from peers on this. What has worked for you?"


def ask(
    author: User,
    title: str,
    body: str = BODY,
    tags: str = "strategy",
) -> Question:
    question = questions.ask_question(author, title, body, tags)
    db.session.commit()
    return question


def answer(author: User, question: Question, body: str) -> Answer:
    posted = answers.post_answer(author, question, body)
    db.session.commit()
    return posted


def edit(editor: User, question: Question, **changes: str) -> None:
    title = changes.get("title", question.title)
    body = changes.get("body", question.body)
    tags = changes.get("tags", [tag.name for tag in question.tags])
    questions.edit_question(editor, question, title, body, tags)
    db.session.commit()


def accept(asker: User, chosen: Answer) -> None:
    answers.accept_answer(asker, chosen)
    db.session.commit()


def delete(actor: User, post: Post) -> None:
    posts.delete_post(actor, post)
    db.session.commit()


def undelete(admin: User, post: Post) -> None:
    posts.undelete_post(admin, post)
    db.session.commit()


def vote(voter: User, post: Post, value: int = 1) -> None:
    cast_vote(voter, post, value)
    index_question(post.question_id)
    db.session.commit()


def found(text: str, **options: Any) -> list[int]:
    """The question ids a search returns, in order."""
    return [hit.question_id for hit in search(text, **options).hits]
