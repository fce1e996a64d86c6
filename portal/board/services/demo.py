"""Demo board content for ``flask seed-demo``: realistic threads, made once.

Everything goes through the services (so counters and revisions are right);
only the timestamps are moved into the past afterwards so the lists look lived-in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from portal.auth.models import User
from portal.board.models import Answer, Comment, Question, Revision
from portal.board.services import answers, comments, questions
from portal.board.services.tags import ensure_starter_tags
from portal.board.services.votes import cast_vote
from portal.core.time import utcnow
from portal.extensions import db

# People are named by the start of their demo email address.
THREADS: list[dict[str, Any]] = [
    {
        "asker": "maria",
        "days_ago": 12,
        "title": "How do you answer a negative Facebook review that mentions a visit?",
        "tags": "facebook, crisis, hipaa",
        "body": "A reviewer wrote that our ER kept her waiting six hours and named"
        " the doctor. Our instinct is to explain what happened, but that would"
        " confirm she was a patient.\n\nWhat wording do you use? Do you reply at"
        " all?",
        "votes": {"sam": 1, "lee": 1, "admin": 1},
        "comments": [("admin", "Good question: this comes up every week.")],
        "answers": [
            {
                "author": "sam",
                "accepted": True,
                "votes": {"maria": 1, "lee": 1},
                "body": "Never confirm or deny that the person is a patient, even"
                " if they said so themselves. Our approved reply:\n\n> We're sorry"
                " to hear about this experience. Please contact our patient"
                " relations team at (555) 010-2000 so we can look into it.\n\n"
                "Then take it offline, and log it for compliance.",
                "comments": [("maria", "That template is exactly what I needed.")],
            },
            {
                "author": "lee",
                "votes": {"maria": 1},
                "body": "Agree with Sam. Also ask compliance to pre-approve **three**"
                " templates (wait times, billing, staff attitude) so the team can"
                " answer within hours instead of days.",
            },
        ],
    },
    {
        "asker": "sam",
        "days_ago": 9,
        "title": "Is TikTok worth it for a small community hospital?",
        "tags": "tiktok, strategy",
        "body": "We have one communicator (me) and a part-time designer. Leadership"
        " saw a viral nurse video and wants us on TikTok by next month.\n\nHas"
        " anyone made it work with a team this small?",
        "votes": {"maria": 1},
        "answers": [
            {
                "author": "maria",
                "votes": {"sam": 1},
                "body": "Only if you can commit to 3 short videos a week for three"
                " months. Start by repurposing what you already film:\n\n"
                '1. Staff "day in the life" clips\n2. Myth-busting in 30'
                " seconds\n3. Answers to the top questions your call centre gets",
            }
        ],
    },
    {
        "asker": "lee",
        "days_ago": 7,
        "title": "Which social media metrics do you report to leadership monthly?",
        "tags": "measurement, strategy",
        "body": 'Our board asks for "engagement" but glazes over at the numbers.'
        " What do you put on the one-page monthly report?",
        "votes": {"sam": 1, "maria": 1},
        "answers": [
            {
                "author": "maria",
                "accepted": True,
                "votes": {"lee": 1, "sam": 1},
                "body": "Tie each number to a goal they already care about:\n\n"
                "| Goal | Metric |\n|---|---|\n| Recruitment | Clicks to the"
                " careers page |\n| Access | Appointment requests from social |\n|"
                " Reputation | Review rating trend |",
            },
            {
                "author": "sam",
                "body": "Add one story per month: a screenshot of a comment from a"
                " patient or family. It lands better than any chart.",
                "comments": [("lee", "Love this. Trying it next month.")],
            },
        ],
    },
    {
        "asker": "ana",
        "days_ago": 5,
        "title": "Can residents post photos from the OR if faces are hidden?",
        "tags": "policy, hipaa, instagram",
        "body": "A resident posted an OR photo with everyone masked, but a monitor"
        " was visible in the background. Is hiding faces enough?",
        "answers": [
            {
                "author": "admin",
                "accepted": True,
                "votes": {"maria": 1, "sam": 1},
                "body": "No. Monitors, whiteboards, wristbands, tattoos and even"
                " the date can identify a patient. Our policy: no clinical-area"
                " photos without sign-off from the privacy office.",
            }
        ],
    },
    {
        "asker": "sam",
        "days_ago": 3,
        "title": "Boosting posts about flu clinics: what targeting is allowed?",
        "tags": "advertising, facebook",
        "body": "Meta removed most health-related targeting options. What are you"
        " using instead to reach people over 65 for flu clinics?",
        "answers": [
            {
                "author": "lee",
                "votes": {"sam": 1},
                "body": "Location radius around each clinic plus age. We also"
                " upload no lists at all: custom audiences from patient data are a"
                " privacy risk.",
            }
        ],
    },
    {
        "asker": "maria",
        "days_ago": 1,
        "title": "LinkedIn articles or short posts for physician thought leadership?",
        "tags": "linkedin, physician-brand",
        "body": "I'm coaching five department chairs. Should they write long"
        " LinkedIn articles, or short posts with a strong first line?",
    },
]


def _person(people: dict[str, User], key: str) -> User:
    """``"maria"`` is maria.lopez@example.org; ``"admin"`` is admin@example.org."""
    return next(
        user
        for email, user in people.items()
        if email.split("@")[0].split(".")[0] == key
    )


def seed_board(users: list[User]) -> list[Question]:
    """Starter tags plus the demo threads; a thread that exists is left alone."""
    ensure_starter_tags()
    people = {user.email: user for user in users}
    made: list[Question] = []
    for thread in THREADS:
        exists = db.session.scalar(
            select(Question.id).where(Question.title == thread["title"])
        )
        if exists is None:
            made.append(_seed_thread(people, thread))
    return made


def _seed_thread(people: dict[str, User], thread: dict[str, Any]) -> Question:
    asker = _person(people, thread["asker"])
    question = questions.ask_question(
        asker, thread["title"], thread["body"], thread["tags"]
    )
    _vote_and_comment(people, question, question, thread)
    for spec in thread.get("answers", []):
        answer = answers.post_answer(
            _person(people, spec["author"]), question, spec["body"]
        )
        _vote_and_comment(people, question, answer, spec)
        if spec.get("accepted"):
            answers.accept_answer(asker, answer)
    _backdate(question, timedelta(days=thread["days_ago"]))
    return question


def _vote_and_comment(
    people: dict[str, User],
    question: Question,
    post: Question | Answer,
    spec: dict[str, Any],
) -> None:
    for voter, value in spec.get("votes", {}).items():
        cast_vote(_person(people, voter), post, value)
    for author, body in spec.get("comments", []):
        on = post if isinstance(post, Answer) else None
        comments.add_comment(_person(people, author), question, body, on)


def _backdate(question: Question, age: timedelta) -> None:
    """Spread the thread over the hours after it was asked, ``age`` ago."""
    created = latest = utcnow() - age
    question.created_at = created
    steps = [
        *db.session.scalars(select(Answer).where(Answer.question_id == question.id)),
        *db.session.scalars(select(Comment).where(Comment.question_id == question.id)),
    ]
    for hours, post in enumerate(steps, start=1):
        post.created_at = latest = created + timedelta(hours=3 * hours)
        if isinstance(post, Answer):
            db.session.execute(
                update(Revision)
                .where(Revision.answer_id == post.id)
                .values(created_at=post.created_at)
            )
    db.session.execute(
        update(Revision)
        .where(Revision.question_id == question.id)
        .values(created_at=created)
    )
    question.last_activity_at = latest
    db.session.flush()
