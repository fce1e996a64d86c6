"""Search shows what every member may read: no held or hidden question, no
hidden answer's words; a duplicate is found through its original."""

from __future__ import annotations

from portal.board.models import Question
from portal.board.services import threads
from portal.extensions import db
from portal.search.models import SearchDocument
from portal.search.queries import search, similar
from portal.search.services import build_documents, reindex_all
from tests.factories import answer, ask, fresh, hide, hold, release, sign_in
from tests.search.helpers import edit, found


def suggested(title: str) -> list[int]:
    return [s.question_id for s in similar(title)]


def documents() -> dict[int, SearchDocument]:
    db.session.expire_all()
    return {d.question_id: d for d in db.session.scalars(db.select(SearchDocument))}


def test_held_and_hidden_questions_are_not_found_or_suggested(member):
    held = ask(member, title="Posting wristband photos from the maternity ward")
    hidden = ask(member, title="Wristband photos for a newborn announcement")
    hold(held)
    hide(hidden)
    assert found("wristband") == []
    assert found("tag:facebook") == []
    assert suggested("Wristband photos on Instagram") == []
    release(held)
    assert found("wristband") == [held.id]
    assert suggested("Wristband photos on Instagram") == [held.id]


def test_a_hidden_answer_is_not_searchable_and_not_counted(member, other):
    question = ask(member, title="Scheduling posts for the flu campaign")
    answer(other, question, "Buffer worked for our team.")
    secret = answer(other, question, "Call Jane Doe in ward seven, she knows.")
    assert found("ward seven") == [question.id]
    hide(secret)
    assert found("ward seven") == []
    [hit] = search("buffer").hits
    assert hit.answer_count == 1
    release(secret)
    assert found("ward seven") == [question.id]


def test_a_duplicate_is_replaced_by_its_original(member, other):
    original = ask(member, title="Answering one-star reviews on Google Maps")
    duplicate = ask(
        other,
        title="Angry Yelp reviewer after a long wait",
        body="Somebody wrote about the waiting room furniture.",
    )
    threads.close_as_duplicate(duplicate, original)
    db.session.commit()
    # The duplicate's own words: the original stands for it, ranked as a title.
    assert found("yelp reviewer") == [original.id]
    assert found("furniture") == []  # its body is not folded in, only its title
    assert found("google maps") == [original.id]
    assert suggested("Yelp reviewer complaining about waiting") == [original.id]
    assert duplicate.id not in suggested("Angry Yelp reviewer after a long wait")
    threads.reopen(fresh(Question, duplicate.id))
    db.session.commit()
    assert found("yelp reviewer") == [duplicate.id]
    assert found("furniture") == [duplicate.id]


def test_the_original_follows_its_duplicates_edits_and_states(member, other):
    original = ask(member, title="Answering one-star reviews on Google Maps")
    duplicate = ask(other, title="Angry Yelp reviewer after a long wait")
    threads.close_as_duplicate(duplicate, original)
    db.session.commit()
    edit(other, fresh(Question, duplicate.id), title="Angry Tripadvisor reviewer")
    assert found("tripadvisor") == [original.id]
    assert found("yelp") == []
    hide(fresh(Question, duplicate.id))
    assert found("tripadvisor") == []
    release(fresh(Question, duplicate.id))
    assert found("tripadvisor") == [original.id]


def test_moving_a_duplicate_to_another_original_moves_its_title(member, other):
    first = ask(member, title="Crisis statements after a data breach")
    second = ask(member, title="Press statements for a hospital data breach")
    duplicate = ask(other, title="What to post about a ransomware attack")
    threads.close_as_duplicate(duplicate, first)
    db.session.commit()
    assert found("ransomware") == [first.id]
    threads.close_as_duplicate(fresh(Question, duplicate.id), second)
    db.session.commit()
    assert found("ransomware") == [second.id]


def test_reindexing_everything_writes_the_same_documents(member, other):
    original = ask(member, title="Answering one-star reviews on Google Maps")
    duplicate = ask(other, title="Angry Yelp reviewer after a long wait")
    held = ask(other, title="A held question about our ward")
    reply = answer(other, original, "A hidden answer about the ward.")
    threads.close_as_duplicate(duplicate, original)
    db.session.commit()
    hold(held)
    hide(reply)
    before = {k: _row(d) for k, d in documents().items()}
    assert sorted(before) == [original.id]
    reindex_all()
    db.session.commit()
    assert {k: _row(d) for k, d in documents().items()} == before
    assert build_documents([duplicate.id, held.id]) == []


def _row(document: SearchDocument) -> tuple[str, str, str, int]:
    return (document.tags, document.body, document.answers, document.answer_count)


def test_the_search_page_never_shows_a_held_question(client, member, other):
    held = ask(member, title="Posting wristband photos from the maternity ward")
    hold(held)
    sign_in(client, other)
    response = client.get("/search?q=wristband")
    assert response.status_code == 200
    assert "maternity ward" not in response.get_data(as_text=True)
    response = client.post("/search/similar", data={"title": "Wristband photos"})
    assert response.get_json() == []
