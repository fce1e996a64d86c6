"""The portal as the benchmark runs it (``bench.wsgi`` for gunicorn).

The real app (``create_app``) with rate limits lifted, so eight clients of one
account are not throttled, plus one bench-only page, the reference: 20 rows read
by primary key with SQLAlchemy and rendered from a Jinja template string. It runs
in the same server as the pages measured, so "ratio to reference" says how much
slower a page is than the cheapest page the stack can serve.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from portal import create_app
from portal.board.models import Question
from portal.extensions import db

REFERENCE_PATH = "/bench/reference"
REFERENCE_IDS = list(range(1, 21))
REFERENCE_TEMPLATE = """<!doctype html>
<title>Reference</title>
<ul>
{% for question in questions %}
  <li>{{ question.id }}: {{ question.title }} ({{ question.score }})</li>
{% endfor %}
</ul>
"""


def create_bench_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = create_app({"RATELIMIT_ENABLED": False, **(test_config or {})})
    template = app.jinja_env.from_string(REFERENCE_TEMPLATE)

    @app.get(REFERENCE_PATH)
    def bench_reference() -> str:
        questions = db.session.scalars(
            select(Question).where(Question.id.in_(REFERENCE_IDS)).order_by(Question.id)
        ).all()
        return template.render(questions=questions)

    return app
