"""The way from reader to paying member, end to end: sign up and verify the address, choose a
plan, go to Stripe Checkout (the stripe library's call answered by a local server), pay
(Stripe's signed webhook events), and read a members-only analysis in full."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from geopol.articles.models import Access
from geopol.articles.tests.factories import ArticleFactory
from geopol.billing.tests.stripe_fakes import (  # noqa: F401 (a fixture)
    checkout_completed,
    invoice,
    local_stripe,
    sign,
)
from geopol.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
HIDDEN = "The envoy privately conceded that the northern garrison could not hold past March."


def _webhook(client, event):
    body = json.dumps(event)
    return client.post(
        reverse("stripe-webhook"),
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body),
    )


def test_sign_up_pay_through_the_signed_webhook_and_read_in_full(client, local_stripe):  # noqa: F811
    article = ArticleFactory(
        title="Garrison Politics in the North",
        access=Access.MEMBERS,
        teaser="Why the garrison matters.",
        body=f"Why the garrison matters.\n\n{HIDDEN}",
    )
    page = client.get(article.get_absolute_url()).text
    assert HIDDEN not in page and "Subscribe" in page

    client.post(
        reverse("account_signup"),
        {
            "email": "analyst@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    confirm = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    client.post(confirm)

    membership_page = client.get(reverse("membership")).text
    assert "Subscribe: $19 a month" in membership_page
    to_stripe = client.post(reverse("billing-checkout", args=["monthly"]))
    assert to_stripe.url.startswith("https://checkout.stripe.test/")
    sent = local_stripe.calls[0].params
    user_id = sent["client_reference_id"]
    assert sent["customer_email"] == "analyst@example.org"

    # Stripe tells us the customer paid: the session, then the invoice, both signed
    assert _webhook(client, checkout_completed(int(user_id), "sub_flow")).status_code == 200
    now = int(time.time())
    paid = invoice("invoice.paid", "sub_flow", now, now + 31 * 86400)
    assert _webhook(client, paid).status_code == 200
    assert "paid until" in client.get(reverse("membership")).text

    page = client.get(article.get_absolute_url()).text
    assert HIDDEN in page
    assert "Member" in client.get(reverse("member-account")).text
