"""Writes of the members app: seats (invite, accept, remove) and deleting an account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.deletion import Collector
from django.urls import reverse
from django.utils import timezone

from geopol.members.models import Organization, Seat


class SeatError(Exception):
    """A seat operation that cannot be done; the message says why, for the org admin."""


def invite(organization: Organization, email: str, *, by: Any, base_url: str) -> Seat:
    """Reserve a seat for `email` and send the invitation. Pending invitations take a seat."""
    email = email.strip().lower()
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if org.seats.filter(email__iexact=email).exists():
            raise SeatError(f"{email} already has a seat or an invitation.")
        if org.seats.count() >= org.seat_limit:
            raise SeatError(
                f"All {org.seat_limit} seats are taken: remove a seat first, or ask us for more."
            )
        seat = Seat.objects.create(organization=org, email=email)
    link = base_url + reverse("seat-accept", args=[seat.token])
    inviter = getattr(by, "email", "") or "An administrator"
    send_mail(
        f"[{settings.SITE_NAME}] {org.name} invites you to read as a member",
        f"{inviter} has given you a seat in {org.name}'s {settings.SITE_NAME} membership.\n\n"
        f"Accept it here (sign in or create a free account with this address first):\n{link}\n",
        None,
        [email],
    )
    return seat


def accept(token: str, user: Any) -> Seat:
    """Give the seat of invitation `token` to `user`, whose verified address must be the one
    invited (a forwarded link is not enough)."""
    from allauth.account.models import EmailAddress

    seat = Seat.objects.select_related("organization").filter(token=token).first()
    if seat is None:
        raise SeatError("This invitation does not exist or was withdrawn.")
    if seat.user_id is not None:
        if seat.user_id == user.pk:
            return seat
        raise SeatError("This invitation was already accepted.")
    verified = EmailAddress.objects.filter(user=user, email__iexact=seat.email, verified=True)
    if not verified.exists():
        raise SeatError(
            f"This invitation is for {seat.email}. Sign in with that address, or change your "
            "account's address to it under Email address and confirm it."
        )
    seat.user = user
    seat.accepted_at = timezone.now()
    seat.save(update_fields=["user", "accepted_at"])
    return seat


def remove(organization: Organization, seat_id: int, *, by: Any) -> Seat:
    """Remove a seat of `organization`; a seat of another organization is not found."""
    seat = Seat.objects.filter(organization=organization, pk=seat_id).first()
    if seat is None:
        raise SeatError("No such seat in this organization.")
    if seat.user_id == by.pk and seat.is_admin:
        others = organization.seats.filter(is_admin=True).exclude(pk=seat.pk)
        if not others.exists():
            raise SeatError("You are this organization's only administrator: you cannot leave.")
    seat.delete()
    return seat


@dataclass
class DeletedAccount:
    email: str
    counts: dict[str, int]  # what was deleted, by kind, e.g. {"memberships": 1}


def delete_account(user: Any) -> DeletedAccount:
    """Delete `user` and every row that belongs to them (email addresses, memberships, seats,
    metered reads and whatever other apps keep per member, through their cascades). Articles
    they edited stay, without their name on the revisions."""
    collector = Collector(using="default")
    collector.collect([user])
    counts: dict[str, int] = {}
    for model, instances in collector.data.items():
        counts[str(model._meta.verbose_name_plural)] = len(instances)
    for qs in collector.fast_deletes:
        n = qs.count()
        if n:
            name = str(qs.model._meta.verbose_name_plural)
            counts[name] = counts.get(name, 0) + n
    email = user.email
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    with transaction.atomic():
        user.delete()
        # the lock-out records name the address too
        logins = 0
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            logins += model.objects.filter(username__iexact=email).delete()[0]
        if logins:
            counts["log-in records"] = logins
    return DeletedAccount(email=email, counts=counts)
