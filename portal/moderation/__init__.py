"""Moderation: flags, the review queue, the patient-information guard."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, cli_group="moderation")

from portal.moderation import cli  # noqa: E402,F401 - registers the commands on bp
