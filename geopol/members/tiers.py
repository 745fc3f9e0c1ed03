"""The reader tiers, from anonymous to admin."""

from __future__ import annotations

import enum
from typing import Any

from geopol.articles.access import is_member


class Tier(enum.StrEnum):
    ANONYMOUS = "anonymous"
    REGISTERED = "registered"
    MEMBER = "member"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "anonymous": "Reader without an account",
            "registered": "Registered reader (free)",
            "member": "Member",
            "editor": "Editor",
            "admin": "Administrator",
        }[self.value]


def tier_of(user: Any) -> Tier:
    """Admins are superusers, editors are staff (the back office), members have member access
    (a paid membership, a seat or the `read_members` permission), everyone else with an
    account is a registered reader."""
    if user is None or not user.is_authenticated:
        return Tier.ANONYMOUS
    if user.is_superuser:
        return Tier.ADMIN
    if user.is_staff:
        return Tier.EDITOR
    if is_member(user):
        return Tier.MEMBER
    return Tier.REGISTERED
