"""The membership page, the way to Checkout and the Customer Portal, and Stripe's webhook."""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from geopol.billing import services, stripe_api
from geopol.billing.forms import CheckoutForm
from geopol.billing.models import Plan, Subscription
from geopol.billing.payloads import PayloadError
from geopol.core.replica import primary_reads
from geopol.members.models import Organization
from geopol.members.tiers import tier_of

log = logging.getLogger(__name__)


def membership(request: HttpRequest) -> HttpResponse:
    """The plans and their prices; Checkout when Stripe is configured, else the contact
    address. A signed-in subscriber also finds their subscription and the portal here."""
    user = request.user
    subscriptions = (
        Subscription.objects.filter(user=user).select_related("plan", "organization")
        if user.is_authenticated
        else Subscription.objects.none()
    )
    administered = (
        Organization.objects.filter(seats__user=user, seats__is_admin=True)
        if user.is_authenticated
        else Organization.objects.none()
    )
    # the reader's own membership, written by Stripe's webhook moments ago perhaps: from
    # the primary, never a replica's older copy (geopol/core/replica.py)
    with primary_reads():
        return _membership_page(request, subscriptions, administered)


def _membership_page(request: HttpRequest, subscriptions, administered) -> HttpResponse:
    user = request.user
    return render(
        request,
        "billing/membership.html",
        {
            "tier": tier_of(user),
            "metered": settings.GEOPOL_METERED_ARTICLES,
            "plans": Plan.objects.offered(),
            "checkout": stripe_api.enabled(),
            "contact": settings.GEOPOL_MEMBERSHIP_CONTACT,
            "subscriptions": subscriptions,
            "administered": administered,
            "welcome": "session_id" in request.GET,
        },
    )


@login_required
@require_POST
def checkout(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.offered(), slug=slug)
    form = CheckoutForm(request.POST, plan=plan)
    if not stripe_api.enabled():
        contact = settings.GEOPOL_MEMBERSHIP_CONTACT
        messages.info(
            request,
            f"To subscribe, write to {contact}."
            if contact
            else "Subscriptions are not open online on this site yet.",
        )
        return redirect("membership")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{plan.name}: {error}")
        return redirect("membership")
    page = request.build_absolute_uri(reverse("membership"))
    try:
        url = stripe_api.start_checkout(
            request.user,
            plan,
            seats=form.cleaned_data.get("seats") or 1,
            success_url=page,
            cancel_url=page,
            organization=(form.cleaned_data.get("organization") or "").strip(),
            grow=form.cleaned_data.get("grow") or "",
        )
    except stripe_api.StripeFailure as error:
        messages.error(request, str(error))
        return redirect("membership")
    return redirect(url)


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = stripe_api.portal_url(
            request.user, return_url=request.build_absolute_uri(reverse("membership"))
        )
    except (stripe_api.StripeFailure, stripe_api.BillingUnavailable) as error:
        messages.error(request, str(error))
        return redirect("membership")
    return redirect(url)


MAX_WEBHOOK_BYTES = 1024 * 1024


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events: the signature is checked against GEOPOL_STRIPE_WEBHOOK_SECRET before
    anything is read; 400 for a bad signature or body (Stripe shows it and retries), 200
    once handled or already seen."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_WEBHOOK_BYTES:
        return HttpResponseBadRequest("Webhook body larger than 1 MB")
    try:
        event = stripe_api.verified_event(request.body, request.headers.get("Stripe-Signature", ""))
    except stripe.SignatureVerificationError as error:
        log.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest(f"Signature check failed: {error}")
    except ValueError as error:
        return HttpResponseBadRequest(f"Webhook body is not a JSON event: {error}")
    try:
        outcome = services.receive_event(event)
    except PayloadError as error:
        log.error("Stripe event %s not handled: %s", event.get("id"), error)
        return HttpResponseBadRequest(f"Event not handled: {error}")
    return JsonResponse({"received": event.get("id"), "outcome": outcome})
