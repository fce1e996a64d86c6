"""Similar questions while a member types a title."""

from __future__ import annotations

from portal.search.queries import similar
from tests.search.helpers import accept, answer, ask, delete


def ids(title: str, **options: object) -> list[int]:
    return [s.question_id for s in similar(title, **options)]  # type: ignore[arg-type]


def test_questions_sharing_title_words_come_first(member, other):
    close = ask(member, "Getting consent for patient photos on Instagram")
    partial = ask(member, "Patient photos in a hospital newsletter")
    ask(member, "Choosing a podcast microphone for a small studio")
    found = ids("Do we need consent for patient photos?")
    assert found == [close.id, partial.id]


def test_two_shared_words_make_a_suggestion_with_its_answer_count(member, other):
    question = ask(member, "Scheduling tools for a busy comms team")
    accept(member, answer(other, question, "Use a shared calendar."))
    [suggestion] = similar("Which scheduling tools do you like?")
    assert suggestion.question_id == question.id
    assert suggestion.title == question.title
    assert suggestion.answer_count == 1 and suggestion.has_accepted


def test_one_shared_word_is_not_enough_unless_the_title_has_one(member):
    question = ask(member, "Instagram captions that patients actually read")
    assert ids("Instagram budget for an oncology unit") == []
    assert ids("Instagram?") == [question.id]


def test_tags_count_as_title_words(member):
    tagged = ask(member, "Where does a clinic start with short videos?", tags="tiktok")
    assert ids("TikTok for a pediatric clinic") == [tagged.id]


def test_at_most_five_and_never_deleted_ones(member):
    questions = [ask(member, f"Crisis communication plan, part {n}") for n in range(7)]
    delete(member, questions[6])
    found = ids("crisis communication plan")
    assert len(found) == 5
    assert questions[6].id not in found
    assert len(ids("crisis communication plan", limit=50)) == 5
    assert ids("crisis communication plan", limit=2) == found[:2]


def test_the_question_being_edited_is_left_out(member):
    mine = ask(member, "Measuring reach of a blood drive campaign")
    theirs = ask(member, "Measuring reach of a flu shot campaign")
    assert ids("Measuring reach of a blood drive campaign", exclude_id=mine.id) == [
        theirs.id
    ]


def test_nothing_for_titles_without_significant_words(member):
    ask(member, "How do we do this and that for them?")
    assert ids("") == []
    assert ids("How do we do this?") == []
    assert ids("🙂🙂🙂") == []
