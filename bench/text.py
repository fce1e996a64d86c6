"""Plausible Markdown about social media in healthcare, made from word lists.

Writing 600,000 bodies one word at a time would dominate seeding, so a pool of
sentences is built once per seed and bodies are short runs of pooled sentences.
"""

from __future__ import annotations

import random

PLATFORMS = [
    "TikTok",
    "Instagram",
    "Facebook",
    "LinkedIn",
    "YouTube",
    "X",
    "Threads",
    "Reddit",
    "Google reviews",
    "Yelp",
    "Doximity",
    "Pinterest",
    "Snapchat",
]
PEOPLE = [
    "residents",
    "nurses",
    "our chief of surgery",
    "the compliance office",
    "medical students",
    "our CMO",
    "the legal team",
    "patients",
    "family members",
    "department chairs",
    "the marketing team",
    "physician assistants",
    "the residency program director",
    "our volunteers",
    "the board",
]
THINGS = [
    "negative reviews",
    "a HIPAA policy",
    "a social media policy",
    "patient stories",
    "before-and-after photos",
    "live video from the OR",
    "a crisis statement",
    "influencer partnerships",
    "a content calendar",
    "misinformation about vaccines",
    "comment moderation",
    "paid ads for the urgent care",
    "a staff advocacy program",
    "consent forms for filming",
    "a response template",
    "monthly analytics",
    "a doctor's personal account",
    "a TikTok trend",
    "short-form video",
    "a podcast episode",
    "a recruitment campaign",
    "a patient complaint",
]
VERBS = [
    "handle",
    "approve",
    "measure",
    "respond to",
    "write",
    "moderate",
    "plan",
    "budget for",
    "explain to leadership",
    "train residents on",
    "document",
    "review",
    "escalate",
    "delete",
    "archive",
    "repurpose",
]
OPENERS = [
    "In our hospital",
    "At a 300-bed community hospital",
    "In my experience",
    "Last year",
    "Our compliance team says that",
    "Honestly,",
    "From what I have seen",
    "After the residency",
    "At our academic medical center",
    "For a small clinic",
    "When we tried this",
    "Before you post anything,",
]
ADVICE = [
    "get written consent before anything goes live",
    "never confirm that someone is a patient",
    "keep a log of every reply for compliance",
    "move the conversation to a private channel quickly",
    "agree on three approved templates in advance",
    "ask legal to review the policy once a year",
    "measure saves and shares rather than likes",
    "give residents a clear list of what they may post",
    "start with one platform and do it well",
    "blur every screen and wristband in the background",
    "answer within 24 hours, even if only to acknowledge",
    "let clinicians speak in their own voice",
    "report monthly numbers next to a business goal",
]
QUESTION_FORMS = [
    "How do you {verb} {thing} on {platform}?",
    "Should {people} be allowed to {verb} {thing}?",
    "What is your process to {verb} {thing}?",
    "Has anyone had to {verb} {thing} on {platform} after a complaint?",
    "Who signs off on {thing} for {people}?",
    "Is it worth it to {verb} {thing} for {people}?",
    "How much time does {thing} on {platform} really take?",
    "What do you tell {people} about {thing}?",
]
SENTENCE_FORMS = [
    "{opener} {people} asked us to {verb} {thing} on {platform}.",
    "{opener} we learned to {advice}.",
    "My advice: {advice}.",
    "We {verb} {thing} every week, and {people} mostly appreciate it.",
    "{platform} changed its rules again, so we had to {verb} {thing}.",
    "The hard part is getting {people} to {advice}.",
    "{opener} {thing} on {platform} worked better than expected.",
    "We still do not know how to {verb} {thing} without upsetting {people}.",
    "If it involves {thing}, {advice}.",
    "{people} worry about HIPAA whenever we {verb} {thing}.",
]
COMMENT_FORMS = [
    "Thanks, this helps with {thing}.",
    "Same problem here with {people}.",
    "Did {people} sign off on that?",
    "+1, we also {advice}.",
    "Could you share the template for {thing}?",
    "Does this apply to {platform} too?",
]


def _fill(form: str, rng: random.Random) -> str:
    text = form.format(
        platform=rng.choice(PLATFORMS),
        people=rng.choice(PEOPLE),
        thing=rng.choice(THINGS),
        verb=rng.choice(VERBS),
        opener=rng.choice(OPENERS),
        advice=rng.choice(ADVICE),
    )
    return text[0].upper() + text[1:]


class Writer:
    """Titles, bodies and comments drawn from pools filled once from ``rng``."""

    def __init__(self, rng: random.Random, pool_size: int = 4000) -> None:
        self.rng = rng
        self.sentences = [
            _fill(rng.choice(SENTENCE_FORMS), rng) for _ in range(pool_size)
        ]
        self.titles = [_fill(rng.choice(QUESTION_FORMS), rng) for _ in range(pool_size)]
        self.paragraphs = [
            " ".join(rng.choices(self.sentences, k=rng.randint(2, 4)))
            for _ in range(pool_size * 4)
        ]
        self.comments = [
            _fill(rng.choice(COMMENT_FORMS), rng) for _ in range(pool_size)
        ]

    def title(self) -> str:
        return self.rng.choice(self.titles)

    def paragraph(self) -> str:
        return self.rng.choice(self.paragraphs)

    def body(self, paragraphs: int) -> str:
        parts = self.rng.choices(self.paragraphs, k=paragraphs)
        if self.rng.random() < 0.2:
            tips = self.rng.sample(ADVICE, 3)
            parts.append(
                "\n".join(
                    f"{n}. {tip[0].upper()}{tip[1:]}" for n, tip in enumerate(tips, 1)
                )
            )
        return "\n\n".join(parts)

    def question_body(self) -> str:
        return self.body(self.rng.randint(1, 3))

    def answer_body(self) -> str:
        return self.body(self.rng.randint(1, 2))

    def comment(self) -> str:
        return self.rng.choice(self.comments)
