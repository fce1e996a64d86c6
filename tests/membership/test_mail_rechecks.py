"""Mail is checked again when it is delivered: an invitation or a membership
promise to someone revoked (or already signed up, or at an address corrected
since) is cancelled, not sent."""

from __future__ import annotations

from portal.auth import services as accounts
from portal.core import time
from portal.core.models import CANCELLED, SENT
from portal.extensions import db
from portal.membership.services import accounts as member_accounts
from portal.membership.services import grants, standing
from tests.factories import (
    PASSWORD,
    add_graduate,
    add_residency,
    deliver,
    make_graduate,
    outbox,
)


def test_revoking_between_queueing_and_delivery_cancels_the_invitation(app, mailbox):
    residency = add_residency(time.today(), "Residency Lisbon")
    user = grants.add_graduate(
        "nia@example.org", "Nia New", actor=None, residency=residency
    ).membership.user
    db.session.commit()
    [invitation] = outbox("invitation")

    standing.revoke(user, actor=None, reason="Added by mistake", notify=False)
    db.session.commit()
    deliver()

    assert mailbox.to("nia@example.org") == []
    db.session.refresh(invitation)
    assert invitation.status == CANCELLED


def test_an_invitation_to_an_account_claimed_meanwhile_is_cancelled(app, mailbox):
    user = accounts.create_user("nia@example.org", "Nia New")
    accounts.invite(user)
    db.session.commit()
    user.set_password(PASSWORD)
    user.claimed_at = time.utcnow()
    db.session.commit()
    deliver()
    assert mailbox.to("nia@example.org") == []


def test_a_term_notice_to_a_member_revoked_since_is_cancelled(app, mailbox):
    user = make_graduate("mia@example.org", start=time.today())
    grants.extend(user, actor=None, reason="Taught a class")
    db.session.commit()
    [notice] = outbox("membership_granted")
    standing.revoke(user, actor=None, reason="Spam", notify=False)
    db.session.commit()
    deliver()
    db.session.refresh(notice)
    assert notice.status == CANCELLED
    assert mailbox.to("mia@example.org") == []


def test_mail_to_a_corrected_address_goes_to_the_new_one_only(app, mailbox):
    residency = add_residency(time.today(), "Residency Lisbon")
    user = add_graduate(residency, "nai@exmaple.org", "Nia New")
    accounts.invite(user)
    db.session.commit()
    member_accounts.correct_email(user, "nia@example.org", actor=None, reason="Typo")
    db.session.commit()
    deliver()
    assert mailbox.to("nai@exmaple.org") == []
    [message] = mailbox.to("nia@example.org")
    assert "/invitation/" in message.get_body(("plain",)).get_content()
    statuses = {m.recipient: m.status for m in outbox("invitation")}
    assert statuses == {"nai@exmaple.org": CANCELLED, "nia@example.org": SENT}
