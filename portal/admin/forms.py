"""Forms for the admin's membership screens.

They check shape (required, length, a real date in a sane range); the rules
themselves (renewal, revocation, who may be reinstated …) stay in the services.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from portal.auth.models import ROLES
from portal.board.models import TAG_MAX
from portal.membership.models import RENEWAL_MESSAGE_MAX
from portal.membership.services.audit import ACTIONS
from portal.membership.status import STATUSES
from portal.moderation.services import ACTIONS as MODERATION_ACTIONS

EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
DATE_HINT = "a date like 2026-03-01"


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


def no_control_characters(form: FlaskForm, field: Field) -> None:
    """Typed text holds none (and PostgreSQL refuses a NUL in a query)."""
    if isinstance(field.data, str) and any(ord(ch) < 32 for ch in field.data):
        raise ValidationError("Remove the control characters.")


def sane_date(form: FlaskForm, field: Field) -> None:
    """Far-off years make no sense for a membership (and overflow date sums)."""
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(
            f"Choose a date between {EARLIEST.year} and {LATEST.year}."
        )


class DayField(DateField):
    """A date written YYYY-MM-DD; anything else says how to write it."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"Enter {DATE_HINT}.") from None


def optional_int(value: Any) -> int | None:
    """Select values: '' means 'any'; anything else must be a whole number."""
    if value is None or value == "":
        return None
    return int(value)


def required_date(label: str) -> DayField:
    return DayField(
        label,
        validators=[InputRequired(f"Enter {DATE_HINT}."), sane_date],
        description=DATE_HINT,
    )


def optional_date(label: str) -> DayField:
    return DayField(label, validators=[Optional(), sane_date])


def reason_field(required: bool = True) -> TextAreaField:
    first = (
        DataRequired("Give a reason: it is kept in the audit log.")
        if required
        else Optional()
    )
    return TextAreaField(
        "Reason",
        validators=[
            first,
            Length(max=500, message="Keep the reason under 500 characters."),
        ],
        filters=STRIP,
        render_kw={"rows": 2},
    )


class ResidencyForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired(), Length(max=200)], filters=STRIP
    )
    location = StringField(
        "Location", validators=[DataRequired(), Length(max=200)], filters=STRIP
    )
    held_on = required_date("Date")
    notes = TextAreaField(
        "Notes", validators=[Length(max=5000)], filters=STRIP, render_kw={"rows": 3}
    )


class GraduateForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)],
        filters=STRIP,
    )
    name = StringField(
        "Name", validators=[DataRequired(), Length(max=120)], filters=STRIP
    )
    organisation = StringField(
        "Organisation", validators=[Length(max=200)], filters=STRIP
    )
    title = StringField("Title", validators=[Length(max=200)], filters=STRIP)
    start = optional_date("Start on another date")
    reason = reason_field(required=False)


# Accounts, "Invite someone": a graduate (a membership, as on a residency's
# page) or a staff account with a role and no membership.
GRADUATE, STAFF_MODERATOR, STAFF_ADMIN = "graduate", "moderator", "admin"


class InviteForm(FlaskForm):
    email = GraduateForm.email
    name = GraduateForm.name
    kind = RadioField(
        "Kind of account",
        choices=[
            SelectChoice(GRADUATE, "A graduate: a member of the network"),
            SelectChoice(STAFF_MODERATOR, "Staff account (no membership): moderator"),
            SelectChoice(STAFF_ADMIN, "Staff account (no membership): administrator"),
        ],
        default=GRADUATE,
    )
    residency = SelectField("From residency", coerce=optional_int, choices=[])
    start = optional_date("Or start on")
    reason = reason_field(required=False)

    def with_residencies(self, residencies: Iterable[tuple[int, str]]) -> Any:
        self.residency.choices = _residency_choices(residencies, "None: a start date")
        return self

    @property
    def is_staff(self) -> bool:
        return self.kind.data in (STAFF_MODERATOR, STAFF_ADMIN)

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.is_staff and not (self.residency.data or self.start.data):
            self.residency.errors = [
                "A graduate needs the residency they graduated from, or a start date."
            ]
            return False
        return True


class RosterUploadForm(FlaskForm):
    roster = FileField("Roster (CSV)", validators=[FileRequired("Choose a CSV file.")])
    start = optional_date("Start new terms on another date")
    reason = reason_field(required=False)


class RosterConfirmForm(FlaskForm):
    """The previewed roster, sent back with a signature over exactly that text."""

    roster = TextAreaField(render_kw={"hidden": True, "readonly": True})
    token = HiddenField()
    start = DayField(widget=HiddenInput(), validators=[Optional(), sane_date])
    reason = HiddenField(validators=[Length(max=500)], filters=STRIP)
    # The admin's choices on the preview (not signed: they are made there).
    invite = BooleanField("Send invitations", default=True)
    notify_ended = BooleanField("Tell them their membership ended")
    update_profiles = BooleanField("Update profiles")


def _choices(values: Iterable[str], anything: str) -> list[SelectChoice]:
    named = [SelectChoice(v, v.replace("_", " ").capitalize()) for v in values]
    return [SelectChoice("", anything), *named]


def _residency_choices(
    residencies: Iterable[tuple[int, str]], anything: str
) -> list[SelectChoice]:
    named = [SelectChoice(str(rid), label) for rid, label in residencies]
    return [SelectChoice("", anything), *named]


class MemberFilterForm(FlaskForm):
    """The members list's filters (a GET form, also posted by the export)."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=_choices(STATUSES, "Any status"), default="")
    residency = SelectField("Residency", coerce=optional_int, choices=[])
    expiring = IntegerField(
        "Expiring within (days)",
        validators=[Optional(), NumberRange(0, 3650, "Use 0 to 3650 days.")],
    )
    q = SearchField(
        "Name, email or organisation",
        validators=[Length(max=200), no_control_characters],
        filters=STRIP,
    )

    def with_residencies(self, residencies: Iterable[tuple[int, str]]) -> Any:
        self.residency.choices = _residency_choices(residencies, "Any residency")
        return self

    def url_args(self) -> dict[str, Any]:
        """The filters as query arguments (for the pager and the export)."""
        values = {
            "status": self.status.data,
            "residency": self.residency.data,
            "expiring": self.expiring.data,
            "q": self.q.data,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(
        "Action",
        choices=_choices((*ACTIONS, *MODERATION_ACTIONS), "Any action"),
        default="",
    )
    actor = SearchField(
        "By (email)", validators=[Optional(), Length(max=320)], filters=STRIP
    )
    member = SearchField(
        "About (email)", validators=[Optional(), Length(max=320)], filters=STRIP
    )
    since = optional_date("From")
    until = optional_date("Until")

    def url_args(self) -> dict[str, Any]:
        values = {
            "action": self.action.data,
            "actor": self.actor.data,
            "member": self.member.data,
            "since": self.since.data.isoformat() if self.since.data else None,
            "until": self.until.data.isoformat() if self.until.data else None,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


class GrantForm(FlaskForm):
    residency = SelectField("From residency", coerce=optional_int, choices=[])
    start = optional_date("Start")
    reason = reason_field()

    def with_residencies(self, residencies: Iterable[tuple[int, str]]) -> Any:
        self.residency.choices = _residency_choices(
            residencies, "No residency (a grant)"
        )
        return self


class ExtendForm(FlaskForm):
    start = optional_date("Start (only after grace)")
    reason = reason_field()


def tell_member_field() -> BooleanField:
    """The member always gets a short notice; the reason only if this is ticked."""
    return BooleanField("Tell the member why (the reason goes in their notice)")


class ReasonForm(FlaskForm):
    """Revoke and reinstate: a reason, and whether the member's notice gives it."""

    reason = reason_field()
    tell_member = tell_member_field()


class SuspendForm(FlaskForm):
    until = required_date("Suspended until (last day)")
    reason = reason_field()
    tell_member = tell_member_field()


BULK_EXTEND, BULK_INVITE, BULK_EXPORT = "extend", "invite", "export"


class BulkMembersForm(FlaskForm):
    """The members list's checkboxes (``member``, read from the request) and
    what to do with them; extending needs a reason for each audit entry."""

    action = SelectField(
        "With the selected members",
        choices=[
            SelectChoice(BULK_EXTEND, "Extend by a year"),
            SelectChoice(BULK_INVITE, "Resend invitations (not yet claimed)"),
            SelectChoice(BULK_EXPORT, "Export as CSV"),
        ],
    )
    reason = reason_field(required=False)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.action.data == BULK_EXTEND and not (self.reason.data or "").strip():
            self.reason.errors = [
                *self.reason.errors,
                "Give a reason: it is kept in each member's history.",
            ]
            return False
        return valid


class ResendInvitationForm(FlaskForm):
    """One button; the service records the resend (it takes no reason)."""


class CorrectEmailForm(FlaskForm):
    email = EmailField(
        "Correct email",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)],
        filters=STRIP,
    )
    reason = reason_field()


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r, r.capitalize()) for r in ROLES])
    reason = reason_field()


class RenewalApproveForm(FlaskForm):
    """One button on the dashboard's queue; the request is in the address."""


class RenewalDeclineForm(FlaskForm):
    message = TextAreaField(
        "Message to the member",
        validators=[
            DataRequired("Say why: the member receives this message by email."),
            Length(max=RENEWAL_MESSAGE_MAX),
        ],
        filters=STRIP,
        render_kw={"rows": 2, "maxlength": RENEWAL_MESSAGE_MAX},
    )


class TagForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=TAG_MAX * 2)])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    is_starter = BooleanField("Suggest it to everyone asking (starter tag)")


class TagEditForm(FlaskForm):
    description = TextAreaField("Description", validators=[Length(max=2000)])
    is_starter = BooleanField("Suggest it to everyone asking (starter tag)")


class SettingsForm(FlaskForm):
    routing = BooleanField(
        "Ask the members best placed to answer each new question, and follow up"
        " questions still unanswered after 2 days"
    )
    reason = reason_field(required=False)
