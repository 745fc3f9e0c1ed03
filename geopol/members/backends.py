"""Member access as a permission: a current paid membership or a seat in a current
organization gives `articles.read_members`, which is what the articles app asks for."""

from __future__ import annotations

from typing import Any

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


def prime_member_access(users: list[Any]) -> None:
    """Decide member access for many users in two queries (a digest run's 500 members) and
    cache it on each the way has_member_access does."""
    from geopol.members.models import Membership, Organization

    ids = [u.pk for u in users]
    members = set(
        Membership.objects.current().filter(user__in=ids).values_list("user_id", flat=True)
    )
    members |= set(
        Organization.objects.current()
        .filter(seats__user__in=ids)
        .values_list("seats__user", flat=True)
    )
    for user in users:
        user._geopol_member_access = user.pk in members


class MemberAccessBackend:
    """Grants permissions only; never authenticates anyone. Not a BaseBackend: without
    get_user() it is never taken for the backend that logged someone in (the test client's
    force_login picks the first backend with one), so it can come before the model
    backends in AUTHENTICATION_BACKENDS, which makes a member's has_perm() one query."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None:
            return set()
        return {READ_MEMBERS} if has_member_access(user_obj) else set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
