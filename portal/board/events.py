"""What the board's writes announce, for the features above it to follow.

Search keeps its index in step through this, without the board importing search
(imports flow one way). Receivers run in the writer's transaction, before its
commit, so a rolled-back change leaves them as they were.
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()
# Sent with the question's id after any change to its text or standing: asked,
# edited, answered, accepted, deleted, undeleted. Not after a vote: a vote is the
# board's hottest write, and search's small vote boost can wait for the thread's
# next change or the nightly ``flask search reindex``.
question_changed = _events.signal("question-changed")


def announce(question_id: int) -> None:
    question_changed.send(question_id)


# Sent with the post (a Question, Answer or Comment) when it is saved held for
# review: its author posted it despite the patient-information guard's findings
# (``findings``: the ``core.phi.Finding`` list). Moderation opens a review item.
post_held = _events.signal("post-held")


# Asked with a hidden post when its banner is shown (to its author or a
# moderator): a receiver (moderation, which keeps the reasons) may return why a
# moderator hid it. The board shows a generic banner when nobody answers.
hidden_reason_asked = _events.signal("hidden-reason-asked")


def hidden_reason(post: object) -> str | None:
    for _receiver, reason in hidden_reason_asked.send(post):
        if reason:
            return str(reason)
    return None
