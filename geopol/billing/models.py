"""Plans and prices, the Stripe customer and subscription behind each paying reader, and the
Stripe events already handled (each event id once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlanQuerySet(models.QuerySet["Plan"]):
    def offered(self) -> PlanQuerySet:
        return self.filter(active=True).order_by("position", "price_cents")


class Plan(models.Model):
    """What a reader can buy. The price is what Checkout charges (per seat for an
    institutional plan); a Stripe price id, when given, is charged instead."""

    INDIVIDUAL = "individual"
    INSTITUTIONAL = "institutional"
    KINDS = [(INDIVIDUAL, "Individual"), (INSTITUTIONAL, "Institutional (priced per seat)")]
    INTERVALS = [("month", "Monthly"), ("year", "Annual")]

    name = models.CharField(max_length=80, help_text="Shown to readers, e.g. Annual.")
    slug = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=KINDS, default=INDIVIDUAL)
    interval = models.CharField(max_length=10, choices=INTERVALS, default="month")
    price_cents = models.PositiveIntegerField(
        help_text="Price per interval in cents (per seat for an institutional plan)."
    )
    currency = models.CharField(max_length=3, default="usd", help_text="ISO 4217, lower case.")
    description = models.CharField(max_length=200, blank=True)
    stripe_price_id = models.CharField(
        max_length=80,
        blank=True,
        help_text="A Price made in Stripe's dashboard (price_...). Empty: Checkout is given "
        "this plan's price, interval and name directly.",
    )
    min_seats = models.PositiveIntegerField(default=1, help_text="Institutional plans only.")
    active = models.BooleanField(default=True, help_text="Offered on the membership page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page.")

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["position", "price_cents"]

    def __str__(self) -> str:
        return f"{self.name} ({self.price_label})"

    @property
    def institutional(self) -> bool:
        return self.kind == self.INSTITUTIONAL

    @property
    def price_label(self) -> str:
        amount = self.price_cents / 100
        figure = f"{amount:,.0f}" if self.price_cents % 100 == 0 else f"{amount:,.2f}"
        symbol = {"usd": "$", "eur": "€", "gbp": "£"}.get(self.currency.lower())
        money = f"{symbol}{figure}" if symbol else f"{figure} {self.currency.upper()}"
        per = "a seat a " if self.institutional else "a "
        return f"{money} {per}{self.interval}"


class Subscription(models.Model):
    """A Stripe subscription of a Geopol reader, kept in step by the webhook."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL)
    stripe_customer = models.CharField(max_length=80, db_index=True)
    stripe_subscription = models.CharField(max_length=80, unique=True)
    seats = models.PositiveIntegerField(default=1)
    organization = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL
    )
    seats_added = models.PositiveIntegerField(
        default=0, help_text="Seats this subscription added to its organization."
    )
    made_organization = models.BooleanField(
        default=False, help_text="The organization was created by this purchase."
    )
    paid_until = models.DateTimeField(null=True, blank=True)
    grace_until = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="Cancelled: access ends here, whatever arrives later."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.stripe_subscription} of {self.user}"


class StripeEvent(models.Model):
    """A Stripe event that reached the webhook. Handled once; an event that named a
    subscription not yet known waits here until its checkout session arrives."""

    event_id = models.CharField(max_length=80, primary_key=True)
    type = models.CharField(max_length=80)
    created = models.DateTimeField(help_text="When Stripe created the event.")
    received_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(default=False)
    waiting_for = models.CharField(
        max_length=80, blank=True, db_index=True, help_text="Stripe subscription id."
    )
    payload = models.JSONField(help_text="Kept while the event waits, emptied once handled.")
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
