"""Two-factor sign-in: an authenticator app's codes (TOTP, RFC 6238) and
single-use recovery codes. Services flush; the caller commits.

A code is accepted for the time step it belongs to (30 seconds, one step of
drift either way) only if that step is later than the last one accepted, so a
code seen over someone's shoulder cannot be used again. The check and the
record are one conditional UPDATE, so two requests racing with the same code
cannot both win. docs/two-factor.md explains the choices.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, insert, or_, select, update

from portal.auth.models import RecoveryCode, User
from portal.core.atomic import changed
from portal.core.time import utcnow
from portal.extensions import db

RECOVERY_CODES = 10
# One step of clock drift either way, as RFC 6238 recommends.
DRIFT_STEPS = 1
_DIGITS = re.compile(r"\d{6}")


class TwoFactorError(Exception):
    """A rule was broken; the message is safe to show to the user."""


def new_secret() -> str:
    """160 random bits in base32, as authenticator apps expect."""
    return pyotp.random_base32()


def setup_uri(user: User, secret: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    issuer = current_app.config["PORTAL_NAME"]
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, drawn here (no outside service sees it)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=5, border=2))


def is_totp_code(text: str) -> bool:
    return _DIGITS.fullmatch(text) is not None


def normalise_code(text: str) -> str:
    """Codes are typed with spaces or dashes, in any case: keep what counts."""
    return re.sub(r"[\s-]", "", text).lower()


def matching_step(secret: str, code: str) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side)."""
    if not is_totp_code(code):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(user: User, code: str) -> bool:
    """True once per code: its step must be later than the last one used."""
    if user.totp_secret is None:
        return False
    step = matching_step(user.totp_secret, normalise_code(code))
    if step is None:
        return False
    newer = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    return changed(
        update(User)
        .where(User.id == user.id, newer)
        .values(totp_last_step=step)
        .returning(User.id)
    )


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes; the new ones are shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    rows = [{"user_id": user.id, "code_hash": _hash(code)} for code in codes]
    db.session.execute(insert(RecoveryCode), rows)
    return codes


def _recovery_code() -> str:
    """80 random bits as 16 base32 letters and digits, in groups of four."""
    text = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def use_recovery_code(user: User, code: str) -> bool:
    """True the first time a valid code is used, never again."""
    return changed(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .returning(RecoveryCode.id)
    )


def recovery_codes_left(user: User) -> int:
    query = select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return int(db.session.scalar(query) or 0)


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor sign-in on (or move it to a new app) once a code from
    the app proves it was set up; returns the new recovery codes."""
    step = matching_step(secret, normalise_code(code))
    if step is None:
        raise TwoFactorError(
            "That code is not right. Check the time on your phone and try the"
            " newest code."
        )
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    return new_recovery_codes(user)


def proves_identity(user: User, answer: str) -> bool:
    """A password, or a code from the app (each code once)."""
    answer = answer.strip()
    if user.has_two_factor and is_totp_code(normalise_code(answer)):
        return use_code(user, answer)
    return user.check_password(answer)


def second_factor_passes(user: User, answer: str) -> bool:
    """The sign-in's second step: a code from the app, or a recovery code."""
    if is_totp_code(normalise_code(answer)):
        return use_code(user, answer)
    return use_recovery_code(user, answer)


def disable(user: User, answer: str) -> None:
    """A member turns it off with their password or a code."""
    if user.needs_two_factor:
        raise TwoFactorError(
            "Admins and moderators must sign in with two factors; it cannot be"
            " turned off."
        )
    if not proves_identity(user, answer):
        raise TwoFactorError("That password or code is not right.")
    reset(user)


def reset(user: User) -> None:
    """Forget the app and the recovery codes (an admin's reset, or turning off)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
