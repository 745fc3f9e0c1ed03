"""Member access as a permission: a current paid membership or a seat in a current
organization gives `articles.read_members`, which is what the articles app asks for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

READ_MEMBERS = "articles.read_members"


def has_member_access(user: Any) -> bool:
    """A current paid membership, or an accepted seat in an organization with current access.
    Cached on the user object for the request."""
    if not (user and user.is_active and user.is_authenticated):
        return False
    cached = getattr(user, "_geopol_member_access", None)
    if cached is None:
        from geopol.members.models import Membership, Organization

        cached = (
            Membership.objects.current().filter(user=user).exists()
            or Organization.objects.current().filter(seats__user=user).exists()
        )
        user._geopol_member_access = cached
    return cached


class MemberAccessBackend(BaseBackend):
    """Grants permissions only; never authenticates anyone."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None:
            return set()
        return {READ_MEMBERS} if has_member_access(user_obj) else set()
