"""The search form: what a member typed, and the filters beside it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectChoice, SelectField
from wtforms.validators import Optional

STATES = [
    SelectChoice("", "Any question"),
    SelectChoice("unanswered", "Unanswered"),
    SelectChoice("answered", "Answered"),
    SelectChoice("accepted", "Has an accepted answer"),
]
SORTS = [SelectChoice("relevance", "Best match"), SelectChoice("newest", "Newest")]


class SearchForm(FlaskForm):
    """A GET form (nothing changes), so it carries no CSRF token."""

    class Meta:
        csrf = False

    # No length checks: the query parser keeps what it can use of any input.
    q = SearchField("Search", validators=[Optional()])
    tag = SearchField("Tag", validators=[Optional()])
    state = SelectField("Show", choices=STATES, default="")
    sort = SelectField("Sort by", choices=SORTS, default="relevance")
