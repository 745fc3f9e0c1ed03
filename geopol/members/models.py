"""Paying memberships, institutional accounts (organizations and their seats) and the
per-account count of metered reads. No payment processor: a membership is a record with a
period, entered by staff in the admin (or by whatever bills members, through the admin)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, now: dt.datetime | None = None) -> MembershipQuerySet:
        now = now or timezone.now()
        return self.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class Membership(models.Model):
    """A paid membership period. A member may have several (renewals); any current one counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    plan = models.CharField(max_length=80, default="Individual", help_text="e.g. Annual, Monthly")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no end date.")
    reference = models.CharField(
        max_length=120, blank=True, help_text="Invoice or order number, for the records."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        end = self.ends_at.date() if self.ends_at else "open"
        return f"{self.plan} for {self.user} ({self.starts_at.date()} to {end})"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def current(self, now: dt.datetime | None = None) -> OrganizationQuerySet:
        now = now or timezone.now()
        return self.filter(Q(access_until__isnull=True) | Q(access_until__gt=now))


class Organization(models.Model):
    """An institutional account: up to `seat_limit` people read as members."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    seat_limit = models.PositiveIntegerField(default=5)
    access_until = models.DateTimeField(
        null=True, blank=True, help_text="End of the institutional subscription; empty: no end."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organization", args=[self.slug])

    @property
    def seats_taken(self) -> int:
        return self.seats.count()

    @property
    def seats_left(self) -> int:
        return max(0, self.seat_limit - self.seats_taken)


def _invite_token() -> str:
    return secrets.token_urlsafe(32)


class Seat(models.Model):
    """One seat of an organization: an invitation by email until someone accepts it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="seats")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="seats",
    )
    is_admin = models.BooleanField(
        default=False, help_text="May invite and remove this organization's seats."
    )
    token = models.CharField(max_length=64, unique=True, default=_invite_token, editable=False)
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_admin", "email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], name="one_seat_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} at {self.organization}"

    @property
    def pending(self) -> bool:
        return self.user_id is None


class MeteredRead(models.Model):
    """A members-only article a registered reader opened with a metered read. Counted per
    account and calendar month (UTC), never per cookie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="metered_reads"
    )
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month the read counts in.")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article", "month"], name="one_metered_read_per_month"
            ),
        ]
        indexes = [models.Index(fields=["user", "month"])]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.article_id} in {self.month:%Y-%m}"


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key an institutional client's program sends to the API (`Authorization: Bearer
    KEY`). It reads as its owner: the paywall applies by the owner's tier. Only a digest of the
    secret is kept; the key is shown once, when created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=80, help_text="What the key is for, e.g. 'Risk dashboard'.")
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to tell keys apart.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the whole key, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
