"""The billing app's email to a member: their renewal payment failed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from geopol.core.siteurl import site_url


def payment_failed(sub: Any, invoice_url: str | None) -> None:
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": site_url(),
        "email": sub.user.email,
        "grace_until": sub.grace_until,
        "invoice_url": invoice_url or "",
        "membership_url": site_url() + reverse("membership"),
    }
    message = EmailMultiAlternatives(
        f"[{settings.SITE_NAME}] Your membership payment did not go through",
        render_to_string("billing/email/payment_failed.txt", context),
        None,
        [sub.user.email],
    )
    message.attach_alternative(
        render_to_string("billing/email/payment_failed.html", context), "text/html"
    )
    message.send()
