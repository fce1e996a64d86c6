"""Where membership messages send people: the member's own membership page."""

from __future__ import annotations

from flask import url_for

from portal.core.urls import absolute_url

MEMBERSHIP_PAGE = "membership.my_membership"


def membership_page_path() -> str:
    return url_for(MEMBERSHIP_PAGE)


def membership_page_url() -> str:
    """Absolute, for mail (built from ``PORTAL_BASE_URL``)."""
    return absolute_url(MEMBERSHIP_PAGE)
