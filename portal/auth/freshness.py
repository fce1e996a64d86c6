"""When the signed-in person last proved who they are (a password or a code).

Actions that revoke people or change who can do what ask for proof from the
last ``FRESH_AUTH_MINUTES``: a session left open on a shared computer, or a
remember-me cookie, is not enough. The moment is kept in the session with the
account's id, so it never speaks for another account signed in later.
"""

from __future__ import annotations

import time

from flask import current_app, session

from portal.auth.models import User

KEY = "identity_proved_at"


def mark_fresh(user: User) -> None:
    session[KEY] = [user.id, int(time.time())]


def is_fresh(user: User) -> bool:
    stored = session.get(KEY)
    if not isinstance(stored, list) or len(stored) != 2 or stored[0] != user.id:
        return False
    if not isinstance(stored[1], int):
        return False
    age = time.time() - stored[1]
    return age <= current_app.config["FRESH_AUTH_MINUTES"] * 60
