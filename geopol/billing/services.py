"""Writes of the billing app: a verified Stripe event keeps `Subscription`, `Membership` and
`Organization` in step. Each event id is handled once; every handler sets state from the
event's own payload so that a replay, or events arriving out of order, change nothing twice
(paid periods only grow, a cancellation caps them, a failed payment already made good later
starts no grace period)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from geopol.billing import emails
from geopol.billing.models import Plan, StripeEvent, Subscription
from geopol.billing.payloads import (
    PayloadError,
    completed_checkout,
    invoice_period,
    subscription_period_end,
    timestamp,
)
from geopol.members.models import Membership, Organization, Seat


class Waiting(Exception):
    """The event names a subscription Geopol does not know yet (its checkout session has not
    arrived): it is kept and handled when that session arrives."""

    def __init__(self, subscription: str) -> None:
        super().__init__(subscription)
        self.subscription = subscription


def receive_event(event: dict[str, Any]) -> str:
    """Handle a verified Stripe event once; return what was done, for the log and the reply."""
    event_id = str(event.get("id") or "")
    if not event_id:
        raise PayloadError("event: no id")
    created = timestamp(event.get("created"), "event created")
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(
                event_id=event_id, type=str(event.get("type")), created=created, payload={}
            )
            return _handle(record, event)
    except IntegrityError:
        return f"event {event_id} already received"


def _handle(record: StripeEvent, event: dict[str, Any]) -> str:
    handler = HANDLERS.get(record.type)
    if handler is None:
        record.handled, record.outcome = True, "not an event Geopol acts on"
    else:
        try:
            record.outcome = handler(event)
            record.handled = True
        except Waiting as waiting:
            record.waiting_for, record.payload = waiting.subscription, event
            record.outcome = f"waits for the checkout session of {waiting.subscription}"
    record.save()
    return record.outcome


def _replay_waiting(subscription: str) -> None:
    for record in StripeEvent.objects.filter(waiting_for=subscription, handled=False).order_by(
        "created"
    ):
        record.outcome = HANDLERS[record.type](record.payload)
        record.handled, record.waiting_for, record.payload = True, "", {}
        record.save()


def _data(event: dict[str, Any]) -> dict[str, Any]:
    obj = (event.get("data") or {}).get("object")
    if not isinstance(obj, dict):
        raise PayloadError(f"event {event.get('id')}: data.object is missing")
    return obj


def _plan(slug: str | None, price: str = "") -> Plan | None:
    if slug and (plan := Plan.objects.filter(slug=slug).first()):
        return plan
    return Plan.objects.filter(stripe_price_id=price).first() if price else None


def _subscription_from_metadata(
    stripe_subscription: str, customer: str, metadata: dict[str, str]
) -> Subscription:
    """The Subscription row, made from the metadata Geopol gave the subscription at checkout
    when the checkout session has not arrived yet."""
    found = Subscription.objects.select_for_update().filter(stripe_subscription=stripe_subscription)
    if sub := found.first():
        return sub
    user_id = metadata.get("geopol_user_id", "")
    user = get_user_model().objects.filter(pk=user_id).first() if user_id.isdigit() else None
    if user is None:
        raise Waiting(stripe_subscription)
    return Subscription.objects.create(
        user=user,
        stripe_customer=customer,
        stripe_subscription=stripe_subscription,
        plan=_plan(metadata.get("geopol_plan")),
    )


def _checkout_completed(event: dict[str, Any]) -> str:
    done = completed_checkout(_data(event))
    user = get_user_model().objects.filter(pk=done.user_id).first()
    if user is None:
        return f"user {done.user_id} no longer exists; nothing to tie"
    sub, _ = Subscription.objects.get_or_create(
        stripe_subscription=done.subscription,
        defaults={"user": user, "stripe_customer": done.customer},
    )
    sub.user, sub.stripe_customer = user, done.customer or sub.stripe_customer
    sub.plan = sub.plan or _plan(done.metadata.get("geopol_plan"))
    sub.save()
    _replay_waiting(done.subscription)
    return f"subscription {done.subscription} tied to user {user.pk}"


def _invoice_paid(event: dict[str, Any]) -> str:
    period = invoice_period(_data(event))
    sub = _subscription_from_metadata(period.subscription, period.customer, period.metadata)
    sub.plan = sub.plan or _plan(period.metadata.get("geopol_plan"), period.price)
    sub.seats = period.quantity
    sub.paid_until = max(filter(None, [sub.paid_until, period.ends_at]))
    if sub.grace_until and sub.paid_until >= sub.grace_until:
        sub.grace_until = None
    sub.save()
    sync_access(sub, period.starts_at, period.metadata)
    return f"paid until {period.ends_at:%Y-%m-%d %H:%M} UTC"


def _payment_failed(event: dict[str, Any]) -> str:
    invoice = _data(event)
    period = invoice_period(invoice)
    sub = _subscription_from_metadata(period.subscription, period.customer, period.metadata)
    if sub.ended_at or (sub.paid_until and sub.paid_until >= period.ends_at):
        return "payment failed for a period already paid or a cancelled subscription"
    created = timestamp(event.get("created"), "event created")
    grace = created + dt.timedelta(days=settings.GEOPOL_BILLING_GRACE_DAYS)
    sub.grace_until = max(filter(None, [sub.grace_until, grace]))
    sub.save()
    sync_access(sub, period.starts_at, period.metadata)
    transaction.on_commit(lambda: emails.payment_failed(sub, invoice.get("hosted_invoice_url")))
    return f"payment failed: grace period until {sub.grace_until:%Y-%m-%d %H:%M} UTC"


def _subscription_deleted(event: dict[str, Any]) -> str:
    obj = _data(event)
    stripe_subscription = str(obj.get("id") or "")
    sub = Subscription.objects.select_for_update().filter(
        stripe_subscription=stripe_subscription
    ).first() or _subscription_from_metadata(
        stripe_subscription, str(obj.get("customer") or ""), dict(obj.get("metadata") or {})
    )
    end = subscription_period_end(obj) or timestamp(event.get("created"), "event created")
    sub.ended_at = min(filter(None, [sub.ended_at, end]))
    if sub.paid_until and sub.paid_until > sub.ended_at:
        sub.paid_until = sub.ended_at
    sub.grace_until = None
    sub.save()
    sync_access(sub, None, dict(obj.get("metadata") or {}))
    return f"cancelled: access ends {sub.ended_at:%Y-%m-%d %H:%M} UTC"


HANDLERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "checkout.session.completed": _checkout_completed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _payment_failed,
    "customer.subscription.deleted": _subscription_deleted,
}


def access_end(sub: Subscription) -> dt.datetime | None:
    """Until when the subscription gives access: what was paid, or the grace period, never
    past a cancellation."""
    ends = [value for value in (sub.paid_until, sub.grace_until) if value]
    if not ends:
        return sub.ended_at
    end = max(ends)
    return min(end, sub.ended_at) if sub.ended_at else end


def sync_access(sub: Subscription, starts_at: dt.datetime | None, metadata: dict[str, str]) -> None:
    """Bring the reader's Membership, or the Organization of an institutional plan, to what
    the subscription now gives."""
    if (sub.plan and sub.plan.institutional) or metadata.get("geopol_seats"):
        _sync_organization(sub, metadata)
        return
    end = access_end(sub)
    if end is None:
        return
    membership = Membership.objects.filter(user=sub.user, reference=sub.stripe_subscription)
    row = membership.first()
    if row is None:
        row = Membership(user=sub.user, reference=sub.stripe_subscription)
        row.starts_at = min(starts_at or timezone.now(), end)
    elif starts_at and starts_at < row.starts_at:
        row.starts_at = starts_at
    row.plan = sub.plan.name if sub.plan else "Stripe subscription"
    row.ends_at = end
    row.save()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _organization_for(sub: Subscription, metadata: dict[str, str]) -> tuple[Organization, bool]:
    """The organization the subscription pays seats for, and whether it made it: the one it
    already has, one the buyer administers and chose to grow, or a new one."""
    if sub.organization is not None:
        org = Organization.objects.select_for_update().get(pk=sub.organization.pk)
        return org, sub.made_organization
    grow = metadata.get("geopol_grow", "")
    administered = Organization.objects.select_for_update().filter(
        slug=grow, seats__user=sub.user, seats__is_admin=True
    )
    if grow and (existing := administered.first()):
        return existing, False
    name = metadata.get("geopol_organization") or f"Organization of {sub.user.email}"
    org = Organization.objects.create(
        name=name[:200], slug=_unique_slug(name), seat_limit=0, access_until=timezone.now()
    )
    Seat.objects.create(
        organization=org,
        email=sub.user.email,
        user=sub.user,
        is_admin=True,
        accepted_at=timezone.now(),
    )
    return org, True


def _sync_organization(sub: Subscription, metadata: dict[str, str]) -> None:
    org, made_here = _organization_for(sub, metadata)
    end = access_end(sub)
    current = end is not None and end > timezone.now()
    seats = sub.seats if current or made_here else 0
    org.seat_limit = max(0, org.seat_limit + seats - sub.seats_added)
    if made_here and end is not None:
        org.access_until = end
    org.save()
    sub.organization, sub.seats_added, sub.made_organization = org, seats, made_here
    sub.save(update_fields=["organization", "seats_added", "made_organization"])
