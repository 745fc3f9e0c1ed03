"""Geopol's calls to Stripe, through the official `stripe` library: a Checkout Session for a
purchase, a Customer Portal session for card changes and cancellation, and the check of a
webhook's signature. `GEOPOL_STRIPE_API_BASE` redirects the calls (the tests answer them
from a local server)."""

from __future__ import annotations

import json
from typing import Any

import stripe
from django.conf import settings

from geopol.billing.models import Plan, Subscription


class BillingUnavailable(Exception):
    """No Stripe secret key is configured: readers are shown the contact address instead."""


class StripeFailure(Exception):
    """Stripe refused or could not be reached; the message is for the reader."""


def enabled() -> bool:
    return bool(settings.GEOPOL_STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    if not enabled():
        raise BillingUnavailable("GEOPOL_STRIPE_SECRET_KEY is not set")
    kwargs: dict[str, Any] = {"max_network_retries": 1}
    if settings.GEOPOL_STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.GEOPOL_STRIPE_API_BASE.rstrip("/")}
    return stripe.StripeClient(settings.GEOPOL_STRIPE_SECRET_KEY, **kwargs)


def _line_item(plan: Plan, seats: int) -> dict[str, Any]:
    if plan.stripe_price_id:
        return {"price": plan.stripe_price_id, "quantity": seats}
    return {
        "price_data": {
            "currency": plan.currency.lower(),
            "unit_amount": plan.price_cents,
            "recurring": {"interval": plan.interval},
            "product_data": {"name": f"{settings.SITE_NAME} {plan.name}"},
        },
        "quantity": seats,
    }


def start_checkout(
    user: Any,
    plan: Plan,
    *,
    seats: int,
    success_url: str,
    cancel_url: str,
    organization: str = "",
    grow: str = "",
) -> str:
    """Create a Checkout Session in subscription mode and return its URL. The session's
    `client_reference_id` is the user's id; the subscription carries the same facts as
    metadata, so its invoices can be handled from their own payload."""
    metadata = {"geopol_user_id": str(user.pk), "geopol_plan": plan.slug}
    if plan.institutional:
        metadata["geopol_seats"] = str(seats)
        metadata["geopol_organization"] = organization[:200]
        if grow:
            metadata["geopol_grow"] = grow
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [_line_item(plan, seats if plan.institutional else 1)],
        "client_reference_id": str(user.pk),
        "success_url": success_url + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": cancel_url,
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
    }
    customer = (
        Subscription.objects.filter(user=user)
        .exclude(stripe_customer="")
        .values_list("stripe_customer", flat=True)
        .first()
    )
    if customer:
        params["customer"] = customer
    else:
        params["customer_email"] = user.email
    try:
        session = client().v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
    except stripe.StripeError as error:
        raise StripeFailure(_reason(error)) from error
    return str(session.url)


def portal_url(user: Any, *, return_url: str) -> str:
    """A Customer Portal session for the reader's Stripe customer (card, invoices, cancel)."""
    customer = (
        Subscription.objects.filter(user=user)
        .exclude(stripe_customer="")
        .values_list("stripe_customer", flat=True)
        .first()
    )
    if not customer:
        raise StripeFailure("You have no subscription paid through Stripe.")
    try:
        session = client().v1.billing_portal.sessions.create(
            params={"customer": customer, "return_url": return_url}
        )
    except stripe.StripeError as error:
        raise StripeFailure(_reason(error)) from error
    return str(session.url)


def _reason(error: stripe.StripeError) -> str:
    message = getattr(error, "user_message", None) or str(error) or type(error).__name__
    return f"The payment provider did not accept the request ({message}). Please try again."


def verified_event(payload: bytes, signature: str) -> dict[str, Any]:
    """The event of a webhook request whose Stripe-Signature header matches the endpoint
    secret (and is at most five minutes old); raises stripe.SignatureVerificationError."""
    secret = settings.GEOPOL_STRIPE_WEBHOOK_SECRET
    if not secret:
        raise stripe.SignatureVerificationError(
            "GEOPOL_STRIPE_WEBHOOK_SECRET is not set", signature
        )
    text = payload.decode("utf-8")
    stripe.WebhookSignature.verify_header(text, signature, secret, tolerance=300)
    event = json.loads(text)
    if not isinstance(event, dict):
        raise ValueError("the webhook body is not a JSON object")
    return event
