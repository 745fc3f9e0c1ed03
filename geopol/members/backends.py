"""Member access as a permission: a current paid membership or a seat in a current
organization gives `articles.read_members`, which is what the articles app asks for."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.utils import timezone

from geopol.core.db import PreparedQuery

READ_MEMBERS = "articles.read_members"


def _membership_periods(user_id: int) -> Any:
    from geopol.members.models import Membership

    return Membership.objects.filter(user_id=user_id).order_by().values_list("starts_at", "ends_at")


def _organization_access(user_id: int) -> Any:
    from geopol.members.models import Organization

    return (
        Organization.objects.filter(seats__user_id=user_id).order_by().values_list("access_until")
    )


# asked on every page a signed-in reader opens, so compiled once (see PreparedQuery); the
# periods are compared here, as Membership.objects.current() and Organization's do
membership_periods = PreparedQuery(_membership_periods, int)
organization_access = PreparedQuery(_organization_access, int)


def has_member_access(user: Any) -> bool:
    """A current paid membership, or an accepted seat in an organization with current access.
    Asked of the database on each request (a membership that ends stops at once), cached on
    the user object for the rest of the request."""
    if not (user and user.is_active and user.is_authenticated):
        return False
    cached = getattr(user, "_geopol_member_access", None)
    if cached is None:
        now = timezone.now()
        cached = any(
            starts <= now and (ends is None or ends > now)
            for starts, ends in membership_periods(user.pk)
        ) or any(until is None or until > now for (until,) in organization_access(user.pk))
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


def _user_by_pk(pk: int) -> Any:
    return get_user_model()._default_manager.filter(pk=pk)


user_by_pk = PreparedQuery(_user_by_pk, int)


class AccountBackend(AuthenticationBackend):
    """allauth's backend (sign-in by email), except that the signed-in reader is loaded, on
    every request, by SQL compiled once (PreparedQuery) rather than by the ORM's get(): the
    same row and the same checks (an inactive account is signed out), ~0.2 ms less a page."""

    def get_user(self, user_id: Any) -> Any:
        try:
            found = user_by_pk(int(user_id))
        except (TypeError, ValueError):
            return None
        return found[0] if found and self.user_can_authenticate(found[0]) else None
