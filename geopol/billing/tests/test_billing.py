"""Plans, Checkout, the Customer Portal and Stripe's webhook, as readers and Stripe meet
them: API calls answered by a local server (asserting what the stripe library sent), webhook
events signed with the endpoint secret."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from geopol.billing.models import Plan, StripeEvent, Subscription
from geopol.billing.tests.stripe_fakes import (
    checkout_completed,
    invoice,
    sign,
    subscription_deleted,
)
from geopol.members.models import Membership, Organization
from geopol.members.tests.factories import UserFactory
from geopol.members.tiers import Tier, tier_of

pytestmark = pytest.mark.django_db
DAY = 86400


def _fresh(user):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


def test_without_a_stripe_key_the_page_shows_plans_prices_and_a_contact(client, settings):
    settings.GEOPOL_STRIPE_SECRET_KEY = ""
    settings.GEOPOL_MEMBERSHIP_CONTACT = "members@geopol.example"
    page = client.get(reverse("membership")).text
    assert "Monthly" in page and "$19 a month" in page
    assert "Annual" in page and "$190 a year" in page
    assert "$150 a seat a year" in page
    assert "mailto:members@geopol.example" in page
    assert "billing/checkout" not in page


def test_without_stripe_or_a_contact_the_page_says_so_and_a_check_warns(client, settings):
    """The contact used to default to the sender address: "write to noreply@localhost"."""
    from geopol.billing.apps import check_membership_settings

    settings.GEOPOL_STRIPE_SECRET_KEY = ""
    settings.GEOPOL_MEMBERSHIP_CONTACT = ""
    page = client.get(reverse("membership")).text
    assert "$19 a month" in page
    assert "mailto:" not in page and "noreply" not in page
    assert "Subscriptions are not open online on this site yet" in page
    assert [w.id for w in check_membership_settings()] == ["geopol.W101"]
    settings.GEOPOL_MEMBERSHIP_CONTACT = "members@geopol.example"
    assert check_membership_settings() == []


def test_plans_are_managed_in_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:billing_plan_add"),
        {
            "name": "Student",
            "slug": "student",
            "kind": "individual",
            "interval": "year",
            "price_cents": "4900",
            "currency": "eur",
            "min_seats": "1",
            "active": "on",
            "position": "0",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    Plan.objects.filter(slug="annual").update(active=False)
    client.logout()
    page = client.get(reverse("membership")).text
    assert "Student" in page and "€49 a year" in page
    assert "$190 a year" not in page, "an inactive plan is not offered"


def test_a_signed_out_reader_is_asked_to_create_an_account_before_checkout(client, local_stripe):
    page = client.get(reverse("membership")).text
    assert "Create an account to subscribe" in page
    assert local_stripe.calls == []


def test_checkout_sends_the_plan_and_the_user_id_to_stripe(client, local_stripe):
    user = UserFactory()
    client.force_login(user)
    assert "Subscribe: $190 a year" in client.get(reverse("membership")).text
    response = client.post(reverse("billing-checkout", args=["annual"]))
    assert response.status_code == 302
    assert response.url == "https://checkout.stripe.test/c/pay/cs_test_0"
    [call] = local_stripe.calls
    assert call.path == "/v1/checkout/sessions"
    assert call.headers["Authorization"] == "Bearer sk_test_geopol_local"
    sent = call.params
    assert sent["mode"] == "subscription"
    assert sent["client_reference_id"] == str(user.pk)
    assert sent["customer_email"] == user.email
    assert sent["line_items[0][price_data][unit_amount]"] == "19000"
    assert sent["line_items[0][price_data][recurring][interval]"] == "year"
    assert sent["line_items[0][quantity]"] == "1"
    assert sent["subscription_data[metadata][geopol_user_id]"] == str(user.pk)
    assert sent["success_url"].startswith("http://testserver/membership/?session_id=")


def test_a_stripe_price_id_is_charged_when_given(client, local_stripe):
    Plan.objects.filter(slug="monthly").update(stripe_price_id="price_monthly_live")
    client.force_login(UserFactory())
    client.post(reverse("billing-checkout", args=["monthly"]))
    sent = local_stripe.calls[0].params
    assert sent["line_items[0][price]"] == "price_monthly_live"
    assert "line_items[0][price_data][unit_amount]" not in sent


def test_institutional_checkout_asks_for_seats_and_a_name(client, local_stripe):
    client.force_login(UserFactory())
    response = client.post(reverse("billing-checkout", args=["institutional"]), {"seats": "2"})
    assert response.status_code == 302 and response.url == reverse("membership")
    page = client.get(reverse("membership")).text
    assert "This plan starts at 3 seats" in page
    assert "name" in page
    assert local_stripe.calls == []
    client.post(
        reverse("billing-checkout", args=["institutional"]),
        {"seats": "12", "organization": "Sahel Research Institute"},
    )
    sent = local_stripe.calls[0].params
    assert sent["line_items[0][quantity]"] == "12"
    assert sent["subscription_data[metadata][geopol_organization]"] == "Sahel Research Institute"


def test_stripe_refusing_the_session_says_so_on_the_page(client, local_stripe):
    local_stripe.answer = lambda call: (
        400,
        {"error": {"type": "invalid_request_error", "message": "Currency xyz is not supported"}},
    )
    client.force_login(UserFactory())
    response = client.post(reverse("billing-checkout", args=["monthly"]), follow=True)
    assert "Currency xyz is not supported" in response.text


def test_the_webhook_refuses_a_bad_or_stale_signature(client, post_event, settings):
    user = UserFactory()
    event = checkout_completed(user.pk, "sub_1")
    body = json.dumps(event)
    assert post_event(event, signature="t=1,v1=deadbeef").status_code == 400
    assert post_event(event, signature=sign(body, secret="whsec_other")).status_code == 400
    stale = sign(body, at=int(time.time()) - 3600)
    assert post_event(event, signature=stale).status_code == 400
    assert not Subscription.objects.exists() and not StripeEvent.objects.exists()
    settings.GEOPOL_STRIPE_WEBHOOK_SECRET = ""
    response = client.post(
        reverse("stripe-webhook"),
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, secret=""),
    )
    assert response.status_code == 400 and "GEOPOL_STRIPE_WEBHOOK_SECRET" in response.text


def _paid(user, sub="sub_1", start=None, days=365, **kw):
    start = start or int(time.time()) - 60
    return invoice(
        "invoice.paid",
        sub,
        start,
        start + days * DAY,
        metadata={"geopol_user_id": str(user.pk), "geopol_plan": "annual"},
        **kw,
    )


def test_checkout_then_invoice_paid_makes_a_member_until_the_period_end(post_event):
    user = UserFactory()
    assert post_event(checkout_completed(user.pk, "sub_1")).status_code == 200
    sub = Subscription.objects.get(stripe_subscription="sub_1")
    assert sub.user == user and sub.stripe_customer == "cus_1"
    assert tier_of(_fresh(user)) == Tier.REGISTERED, "not a member before the invoice is paid"
    paid = _paid(user)
    assert post_event(paid).status_code == 200
    membership = Membership.objects.get(user=user)
    end = paid["data"]["object"]["lines"]["data"][0]["period"]["end"]
    assert membership.ends_at == dt.datetime.fromtimestamp(end, tz=dt.UTC)
    assert membership.plan == "Annual" and membership.reference == "sub_1"
    assert tier_of(_fresh(user)) == Tier.MEMBER


def test_a_replayed_event_changes_nothing_twice(post_event):
    user = UserFactory()
    post_event(checkout_completed(user.pk, "sub_1"))
    first = _paid(user)
    post_event(first)
    renewal = _paid(user, start=int(time.time()) + 364 * DAY)
    post_event(renewal)
    ends = Membership.objects.get(user=user).ends_at
    for _ in range(2):
        response = post_event(first)
        assert response.status_code == 200 and "already received" in response.text
    assert Membership.objects.filter(user=user).count() == 1
    assert Membership.objects.get(user=user).ends_at == ends, "an old invoice never shortens"


def test_invoice_before_its_checkout_session_still_counts(post_event):
    user = UserFactory()
    paid = invoice("invoice.paid", "sub_9", int(time.time()), int(time.time()) + 30 * DAY)
    response = post_event(paid)
    assert response.status_code == 200 and "waits" in response.text
    assert not Membership.objects.exists()
    post_event(checkout_completed(user.pk, "sub_9"))
    assert Membership.objects.get(user=user).ends_at > timezone.now() + dt.timedelta(days=29)
    assert StripeEvent.objects.get(event_id=paid["id"]).handled


def test_payment_failure_starts_a_grace_period_with_one_email(post_event, settings):
    settings.GEOPOL_BILLING_GRACE_DAYS = 7
    user = UserFactory()
    now = int(time.time())
    post_event(checkout_completed(user.pk, "sub_1"))
    post_event(_paid(user, start=now - 30 * DAY, days=30))  # the period ends in a minute
    mail.outbox.clear()
    failed = invoice(
        "invoice.payment_failed",
        "sub_1",
        now,
        now + 30 * DAY,
        metadata={"geopol_user_id": str(user.pk)},
    )
    post_event(failed)
    post_event(failed)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "did not go through" in message.subject
    assert "https://invoice.stripe.test/i/1" in message.body
    html = message.alternatives[0][0]
    assert "Geopol" in html and "Manage card or cancel" in html
    ends = Membership.objects.get(user=user).ends_at
    assert dt.timedelta(days=6.9) < ends - timezone.now() < dt.timedelta(days=7.1)
    # the card works on Stripe's next try: the full period, and the grace is over
    post_event(invoice("invoice.paid", "sub_1", now, now + 30 * DAY))
    assert Membership.objects.get(user=user).ends_at > timezone.now() + dt.timedelta(days=29)
    assert Subscription.objects.get().grace_until is None


def test_a_failure_arriving_after_the_payment_that_made_it_good_is_ignored(post_event):
    user = UserFactory()
    now = int(time.time())
    post_event(checkout_completed(user.pk, "sub_1"))
    post_event(invoice("invoice.paid", "sub_1", now, now + 30 * DAY))
    mail.outbox.clear()
    post_event(invoice("invoice.payment_failed", "sub_1", now, now + 30 * DAY))
    assert mail.outbox == []
    assert Subscription.objects.get().grace_until is None


def test_cancellation_ends_access_at_the_period_end_whatever_arrives_later(post_event):
    user = UserFactory()
    now = int(time.time())
    post_event(checkout_completed(user.pk, "sub_1"))
    post_event(invoice("invoice.paid", "sub_1", now - 20 * DAY, now + 10 * DAY))
    post_event(subscription_deleted("sub_1", now + 10 * DAY))
    end = dt.datetime.fromtimestamp(now + 10 * DAY, tz=dt.UTC)
    assert Membership.objects.get(user=user).ends_at == end
    assert tier_of(_fresh(user)) == Tier.MEMBER, "reads until the period paid ends"
    # a late invoice for a later period (delivered after the cancellation) extends nothing
    post_event(invoice("invoice.paid", "sub_1", now + 10 * DAY, now + 40 * DAY))
    assert Membership.objects.get(user=user).ends_at == end
    # a cancellation whose period is over ends access now
    other = UserFactory()
    post_event(checkout_completed(other.pk, "sub_2", customer="cus_2"))
    post_event(invoice("invoice.paid", "sub_2", now - 40 * DAY, now - 10 * DAY, customer="cus_2"))
    post_event(subscription_deleted("sub_2", now - 10 * DAY, customer="cus_2"))
    assert tier_of(_fresh(other)) == Tier.REGISTERED


def test_an_institutional_purchase_creates_an_organization_and_grows_it(post_event, client):
    buyer = UserFactory()
    now = int(time.time())
    meta = {
        "geopol_user_id": str(buyer.pk),
        "geopol_plan": "institutional",
        "geopol_seats": "12",
        "geopol_organization": "Sahel Research Institute",
    }
    post_event(checkout_completed(buyer.pk, "sub_org"))
    post_event(invoice("invoice.paid", "sub_org", now, now + 365 * DAY, metadata=meta, quantity=12))
    org = Organization.objects.get(name="Sahel Research Institute")
    assert org.seat_limit == 12
    assert org.access_until == dt.datetime.fromtimestamp(now + 365 * DAY, tz=dt.UTC)
    seat = org.seats.get()
    assert seat.user == buyer and seat.is_admin, "the buyer administers the seats"
    assert tier_of(_fresh(buyer)) == Tier.MEMBER
    # the renewal (replayed too) changes nothing but the date; more seats bought in the portal
    renewal = invoice(
        "invoice.paid", "sub_org", now + 365 * DAY, now + 730 * DAY, metadata=meta, quantity=15
    )
    post_event(renewal)
    post_event(renewal)
    org.refresh_from_db()
    assert org.seat_limit == 15
    # a second purchase by its administrator grows the same organization
    more = {**meta, "geopol_grow": org.slug, "geopol_seats": "5"}
    post_event(checkout_completed(buyer.pk, "sub_org2", customer="cus_1"))
    post_event(invoice("invoice.paid", "sub_org2", now, now + 365 * DAY, metadata=more, quantity=5))
    org.refresh_from_db()
    assert org.seat_limit == 20 and Organization.objects.count() == 1
    client.force_login(buyer)
    assert "1 of 20 seats taken" in client.get(org.get_absolute_url()).text


def test_the_customer_portal_opens_for_the_readers_stripe_customer(
    client, local_stripe, post_event
):
    user = UserFactory()
    post_event(checkout_completed(user.pk, "sub_1", customer="cus_portal"))
    post_event(_paid(user, customer="cus_portal"))
    client.force_login(user)
    page = client.get(reverse("membership")).text
    assert "Your subscription" in page and "Manage card or cancel" in page
    response = client.post(reverse("billing-portal"))
    assert response.url == "https://billing.stripe.test/p/session/bps_test_1"
    [call] = local_stripe.calls
    assert call.path == "/v1/billing_portal/sessions"
    assert call.params == {
        "customer": "cus_portal",
        "return_url": "http://testserver/membership/",
    }


def test_an_event_geopol_does_not_act_on_is_acknowledged(post_event):
    from geopol.billing.tests.stripe_fakes import event

    response = post_event(event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and "not an event Geopol acts on" in response.text
