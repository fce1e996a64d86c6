"""Sign-in and account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.auth.services import MAX_PASSWORD, MIN_PASSWORD


def _strip(value: str | None) -> str | None:
    """Addresses and names are often pasted with a stray space around them."""
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]
EMAIL = [DataRequired(), Email(check_deliverability=False), Length(max=320)]
NEW_PASSWORD = [
    DataRequired(),
    Length(
        min=MIN_PASSWORD,
        max=MAX_PASSWORD,
        message=f"Use between {MIN_PASSWORD} and {MAX_PASSWORD} characters.",
    ),
]


class LoginForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Length(max=320)], filters=STRIP
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=NEW_PASSWORD)
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=EMAIL, filters=STRIP)


class NameForm(FlaskForm):
    name = StringField(
        "Display name", validators=[DataRequired(), Length(max=120)], filters=STRIP
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField("Current password", validators=[DataRequired()])


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email", validators=EMAIL, filters=STRIP)
    # The account page also shows the password form's "current": ids are unique.
    current = PasswordField(
        "Current password", validators=[DataRequired()], id="email-current"
    )


class ConfirmForm(FlaskForm):
    """A single button: its CSRF token is its only field."""


class CodeForm(FlaskForm):
    """The sign-in's second step: a code from the app or a recovery code."""

    code = StringField(
        "Code", validators=[DataRequired(), Length(max=40)], filters=STRIP
    )


class TwoFactorSetupForm(FlaskForm):
    code = StringField(
        "Code from the app", validators=[DataRequired(), Length(max=20)], filters=STRIP
    )


class IdentityForm(FlaskForm):
    """A password, or a code from the authenticator app."""

    answer = PasswordField(
        "Your password, or a code from your authenticator app",
        validators=[DataRequired(), Length(max=200)],
    )


class ConfirmIdentityForm(IdentityForm):
    next = HiddenField()
