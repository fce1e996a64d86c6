"""Searching: ranking, phrases, exclusions, filters, sorting, paging, snippets."""

from __future__ import annotations

from portal.search.engines import postgresql, sqlite
from portal.search.queries import search
from tests.search.helpers import accept, answer, ask, found, vote

CONSENT = "Do we need written consent before posting patient photos?"


def test_a_title_match_outranks_a_body_only_match(member, other):
    in_body = ask(
        member,
        "How do we staff the weekend social media rota?",
        "Instagram takes most of our time. Instagram stories, Instagram reels.",
    )
    in_title = ask(member, "Is Instagram worth it for a small radiology practice?")
    # Even an accepted, voted-up thread does not lift a body match above a title.
    reply = answer(other, in_body, "Rotate weekly and use a shared calendar.")
    accept(member, reply)
    vote(other, in_body)
    assert found("instagram") == [in_title.id, in_body.id]


def test_a_tag_match_outranks_a_body_only_match(member):
    in_body = ask(member, "Which platforms should a hospice use first?", "TikTok?")
    tagged = ask(member, "Short videos about vaccines for parents", tags="tiktok")
    assert found("tiktok") == [tagged.id, in_body.id]


def test_answers_are_searched_and_an_accepted_answer_helps(member, other):
    plain = ask(member, "Replying to a one-star review of the emergency room")
    solved = ask(member, "Replying to a one-star review of the maternity ward")
    answer(other, plain, "Move the conversation offline with a phone number.")
    accept(member, answer(other, solved, "Move the conversation offline quickly."))
    assert found("offline conversation") == [solved.id, plain.id]


def test_words_are_stemmed(member):
    question = ask(member, "Posting schedules for a children's hospital")
    assert found("posted schedule") == [question.id]


def test_every_word_must_match(member):
    both = ask(member, "Facebook groups for patients with diabetes")
    ask(member, "Facebook advertising rules for pharmacies")
    assert found("facebook diabetes") == [both.id]


def test_a_quoted_phrase_matches_only_those_words_in_that_order(member):
    phrase = ask(member, "Our patient stories series on LinkedIn")
    ask(member, "Stories from a patient advisory board")
    assert found('"patient stories"') == [phrase.id]
    assert len(found("patient stories")) == 2


def test_excluded_words_and_phrases_remove_questions(member):
    kept = ask(member, "Live video from the hospital lobby on Facebook")
    dropped = ask(member, "Live video from the hospital lobby on YouTube")
    assert found("live video -youtube") == [kept.id]
    assert found('live video -"on youtube"') == [kept.id]
    assert set(found("live video")) == {kept.id, dropped.id}


def test_tag_filter_in_the_text_or_as_an_argument(member):
    tagged = ask(member, "Hashtags for a cancer awareness month", tags="instagram")
    ask(member, "Hashtags for a heart health awareness week", tags="x-twitter")
    assert found("hashtags tag:instagram") == [tagged.id]
    assert found("hashtags", tag="instagram") == [tagged.id]
    assert found("Hashtags TAG:Instagram") == [tagged.id]
    assert found("hashtags tag:no-such-tag") == []


def test_a_filter_alone_lists_the_newest_matching_questions(member):
    first = ask(member, "First question about podcasts for nurses", tags="podcasts")
    second = ask(member, "Second question about podcast guests", tags="podcasts")
    ask(member, "Unrelated question about policy documents", tags="policy")
    assert found("tag:podcasts") == [second.id, first.id]
    assert found("tag:podcasts -guests") == [first.id]
    assert found("") == []
    assert found("-podcasts") == []


def test_answered_unanswered_and_accepted(member, other):
    unanswered = ask(member, "Who approves posts at your cancer centre?")
    answered = ask(member, "Who approves posts at your children's hospital?")
    accepted = ask(member, "Who approves posts at your teaching hospital?")
    answer(other, answered, "Communications, then legal.")
    accept(member, answer(other, accepted, "The comms director."))
    assert found("approves posts is:unanswered") == [unanswered.id]
    assert set(found("approves posts is:answered")) == {answered.id, accepted.id}
    assert found("approves posts is:accepted") == [accepted.id]
    assert found("approves posts", state="unanswered") == [unanswered.id]
    assert found("is:accepted") == [accepted.id]


def test_sort_by_newest(member):
    older = ask(member, "Measuring engagement on clinic pages")
    newer = ask(member, "Engagement benchmarks for hospital social media teams")
    assert found("engagement", sort="newest") == [newer.id, older.id]
    assert found("engagement", sort="nonsense") == found("engagement")


def test_pages(member):
    ids = [ask(member, f"Question number {n} about measurement") for n in range(5)]
    first = search("measurement", sort="newest", per_page=2)
    assert [h.question_id for h in first.hits] == [ids[4].id, ids[3].id]
    assert first.has_next and not first.has_prev and first.next_num == 2
    last = search("measurement", sort="newest", per_page=2, page=3)
    assert [h.question_id for h in last.hits] == [ids[0].id]
    assert not last.has_next and last.prev_num == 2
    assert search("measurement", page=99, per_page=2).hits == []
    assert search("measurement", page=-5).page == 1


def test_hits_carry_what_a_list_shows(member, other):
    question = ask(member, "Crisis plan for a data breach announcement", tags="crisis")
    accept(member, answer(other, question, "Have the holding statement ready."))
    [hit] = search("breach").hits
    assert hit.question_id == question.id
    assert hit.title == question.title
    assert hit.answer_count == 1 and hit.has_accepted
    assert hit.created_at == question.created_at
    assert str(hit.title_html) == (
        "Crisis plan for a data <mark>breach</mark> announcement"
    )


def test_snippets_highlight_the_match_in_the_body_or_the_answers(member, other):
    question = ask(
        member,
        "Planning a campaign for flu season",
        "We want to reach parents of toddlers before winter starts.",
    )
    answer(other, question, "Pharmacists make great messengers for this.")
    [hit] = search("toddlers").hits
    assert "<mark>toddlers</mark>" in hit.snippet
    [hit] = search("pharmacists").hits
    assert "<mark>Pharmacists</mark>" in hit.snippet


def test_stored_markup_is_always_escaped(member, other):
    question = ask(
        member,
        "A <b>bold</b> title about the script tag",
        "Body with <script>alert(1)</script> and a script word.",
    )
    answer(other, question, 'An answer <img src=x onerror="alert(2)"> script.')
    for text in ("script", "alert", "bold", "img onerror"):
        [hit] = search(text).hits
        html = hit.title_html + hit.snippet
        assert "<script" not in html and "<img" not in html and "<b>" not in html
        assert "&lt;" in html
    [hit] = search("alert").hits
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in hit.snippet


def test_a_query_cannot_inject_markup(member):
    ask(member, "Marking up the word mark in a title", "mark mark")
    for text in ("<mark>", "</mark>", "<script>alert(1)</script> mark", '"mark'):
        for hit in search(text).hits:
            html = str(hit.title_html) + str(hit.snippet)
            assert html.count("<mark>") == html.count("</mark>")
            assert "<script" not in html


def test_relevance_ranks_the_newest_candidates_only(member, monkeypatch):
    monkeypatch.setattr(sqlite, "CANDIDATES", 2)
    monkeypatch.setattr(postgresql, "CANDIDATES", 2)
    oldest = ask(member, "Webinars on telehealth for rural patients")
    middle = ask(member, "Weekly live sessions", "We run webinars for staff.")
    newest = ask(member, "Monthly live sessions", "We run webinars for donors.")
    # The oldest one's title match is beyond the two newest matches.
    assert set(found("webinars")) == {middle.id, newest.id}
    assert found("webinars", sort="newest") == [newest.id, middle.id, oldest.id]
