"""What Geopol reads from Stripe's event payloads. Pure functions over the JSON Stripe sends
(no ORM, no network), written for the API versions before and after 2025-03-31 ("basil"),
which moved an invoice's subscription under `parent` and a subscription's period onto its
items, so a webhook endpoint on either version is understood."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


class PayloadError(ValueError):
    """An event that lacks what its handling needs; the message names the field."""


def timestamp(value: Any, field: str) -> dt.datetime:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise PayloadError(f"{field}: expected a Unix timestamp, got {value!r}")
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def _id(value: Any) -> str:
    """A Stripe reference: the id string, or an expanded object's id."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class InvoicePeriod:
    subscription: str
    customer: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    quantity: int
    price: str
    metadata: dict[str, str]


def invoice_subscription(invoice: dict[str, Any]) -> str:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return _id(details.get("subscription")) or _id(invoice.get("subscription"))


def _subscription_metadata(invoice: dict[str, Any]) -> dict[str, str]:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    older = invoice.get("subscription_details") or {}
    return dict(details.get("metadata") or older.get("metadata") or {})


def _line_price(line: dict[str, Any]) -> str:
    pricing = (line.get("pricing") or {}).get("price_details") or {}
    return _id(pricing.get("price")) or _id(line.get("price"))


def _subscription_lines(invoice: dict[str, Any]) -> list[dict[str, Any]]:
    lines = (invoice.get("lines") or {}).get("data") or []

    def is_subscription(line: dict[str, Any]) -> bool:
        parent = line.get("parent") or {}
        return (
            line.get("type") == "subscription"
            or parent.get("type") == "subscription_item_details"
            or bool(parent.get("subscription_item_details"))
        )

    chosen = [line for line in lines if is_subscription(line)]
    return chosen or lines


def invoice_period(invoice: dict[str, Any]) -> InvoicePeriod:
    """The subscription period an invoice paid for: the period of its subscription line
    (the last one, which is the renewal when prorations precede it)."""
    subscription = invoice_subscription(invoice)
    if not subscription:
        raise PayloadError("invoice: no subscription (parent.subscription_details.subscription)")
    lines = _subscription_lines(invoice)
    if not lines:
        raise PayloadError(f"invoice {invoice.get('id')}: lines.data is empty")
    line = max(lines, key=lambda item: (item.get("period") or {}).get("end") or 0)
    period = line.get("period") or {}
    return InvoicePeriod(
        subscription=subscription,
        customer=_id(invoice.get("customer")),
        starts_at=timestamp(period.get("start"), "invoice line period.start"),
        ends_at=timestamp(period.get("end"), "invoice line period.end"),
        quantity=max(1, int(line.get("quantity") or 1)),
        price=_line_price(line),
        metadata=_subscription_metadata(invoice) or dict(line.get("metadata") or {}),
    )


def subscription_period_end(subscription: dict[str, Any]) -> dt.datetime | None:
    """The end of the period a subscription was paid for (its items' period on newer API
    versions, the subscription's own on older ones)."""
    ends = [
        item.get("current_period_end")
        for item in (subscription.get("items") or {}).get("data") or []
        if item.get("current_period_end")
    ]
    if subscription.get("current_period_end"):
        ends.append(subscription["current_period_end"])
    if not ends:
        return None
    return timestamp(max(ends), "subscription current_period_end")


@dataclass(frozen=True)
class CompletedCheckout:
    user_id: int
    customer: str
    subscription: str
    metadata: dict[str, str]


def completed_checkout(session: dict[str, Any]) -> CompletedCheckout:
    reference = session.get("client_reference_id") or ""
    if not str(reference).isdigit():
        raise PayloadError(
            f"checkout session {session.get('id')}: client_reference_id {reference!r} is not "
            "a Geopol user id (sessions made outside Geopol are not ours to handle)"
        )
    subscription = _id(session.get("subscription"))
    if not subscription:
        raise PayloadError(f"checkout session {session.get('id')}: no subscription")
    return CompletedCheckout(
        user_id=int(reference),
        customer=_id(session.get("customer")),
        subscription=subscription,
        metadata=dict(session.get("metadata") or {}),
    )
