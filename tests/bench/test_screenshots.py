"""``make screenshots`` seeds what its pages need (the shots themselves take
Chromium half a minute; ``make screenshots`` is the test of those)."""

from __future__ import annotations

from bench.screenshots import build_app, seed
from portal.auth.services import find_by_email
from portal.board.models import Question
from portal.extensions import db
from portal.membership.models import Residency


def test_the_screenshot_demo_has_its_pages_and_an_admin_who_can_sign_in(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'demo.db'}", "http://127.0.0.1:5000")
    question_id, residency_id, codes = seed(app)
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None and question.answer_count == 2
        residency = db.session.get(Residency, residency_id)
        assert residency is not None and residency.name == "Residency Lisbon"
        admin = find_by_email("admin@example.org")
        assert admin is not None and admin.has_two_factor
        assert len(codes) == len(set(codes)) >= 6  # one per admin sign-in
        db.engine.dispose()
