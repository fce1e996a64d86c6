"""Moderation: flags, the review queue, the patient-information guard."""

from flask import Blueprint

from portal.auth.decorators import second_factor_required

bp = Blueprint("moderation", __name__, cli_group="moderation")
# A moderator without a second factor sets it up before any moderation page.
bp.before_request(second_factor_required)

from portal.moderation import cli  # noqa: E402,F401 - registers the commands on bp
