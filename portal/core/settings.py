"""Settings an admin changes on a screen, over the config's defaults.

A setting is a config key (``BOARD_ROUTING_ENABLED``): until an admin saves it,
the config (defaults, instance file, environment) decides; afterwards the
``portal_setting`` row of the same name does, on every server at once.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import update

from portal.core.atomic import insert_ignore
from portal.core.models import PortalSetting
from portal.core.time import utcnow
from portal.extensions import db


def setting(key: str) -> Any:
    """The saved value, else the config's; one primary-key read."""
    row = db.session.get(PortalSetting, key)
    return current_app.config[key] if row is None else row.value


def save_setting(key: str, value: Any) -> None:
    """Store ``value`` for ``key`` in the caller's transaction (race-free upsert)."""
    if key not in current_app.config:
        raise ValueError(f"{key} is not a configuration key")
    now = utcnow()
    if not insert_ignore(PortalSetting, key=key, value=value, updated_at=now):
        # Synchronised with the session, so a row read earlier shows the new value.
        db.session.execute(
            update(PortalSetting)
            .where(PortalSetting.key == key)
            .values(value=value, updated_at=now)
        )
