"""What a member follows and saves, and the record of every alert sent to them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from geopol.articles.models import Article


class FollowKind(models.TextChoices):
    REGION = "region", "Region"
    COUNTRY = "country", "Country"
    ACTOR = "actor", "Actor"
    TOPIC = "topic", "Topic"
    AUTHOR = "author", "Author"
    SEARCH = "search", "Saved search"
    STORYLINE = "storyline", "Storyline"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Email at once"
    DAILY = "daily", "Daily digest"
    NONE = "none", "No email"


class FollowQuerySet(models.QuerySet["Follow"]):
    def emailed(self) -> FollowQuerySet:
        """Follows that send email: not "no email", and of an account still active."""
        return self.exclude(frequency=Frequency.NONE).filter(user__is_active=True)


class Follow(models.Model):
    """A member follows a region (slug), country (ISO code), actor, topic or author (slug), a
    saved search or a storyline (their id: a storyline's slug is an editor's to change)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(max_length=10, choices=FollowKind)
    key = models.CharField(max_length=120)
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.DAILY)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="one_follow_per_target")
        ]
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind} {self.key}"


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_bookmark_per_article")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.article_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits: not guessable


class PrivateFeed(models.Model):
    """A member's private feed. Revoking deletes the row, so the old URL answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"private feed of {self.user_id}"


class DigestSchedule(models.Model):
    """When a member's daily digest goes out: after `hour` o'clock in `timezone`. A member
    without one gets it after GEOPOL_DIGEST_HOUR, UTC."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_schedule"
    )
    hour = models.PositiveSmallIntegerField(help_text="0 to 23, local time.")
    timezone = models.CharField(max_length=64, help_text='An IANA name, e.g. "Europe/Paris".')

    def __str__(self) -> str:
        return f"{self.user_id}: {self.hour:02d}:00 {self.timezone}"


class MatchedArticle(models.Model):
    """An article whose alerts were worked out; `send-due` matches the published rest. Kept
    when its deliveries are pruned: an article alerts only within GEOPOL_ALERTS_MAX_AGE_HOURS
    of its first matching, so a re-published old article cannot alert anyone twice."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    matched_at = models.DateTimeField(auto_now=True)
    first_matched_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"alerts worked out for {self.article_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Claimed by a sender"
    SENT = "sent", "Sent"
    DROPPED = "dropped", "Not sent (unsubscribed or no longer published)"


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", "Alert"
    DAILY = "daily", "Daily digest"


class EmailKind(models.TextChoices):
    ALERT = "alert", "Alert"
    DIGEST = "digest", "Digest"


class EmailStatus(models.TextChoices):
    SENDING = "sending", "Handed to the mail server"
    SENT = "sent", "Accepted by the mail server"
    FAILED = "failed", "Refused; its articles went back to pending"


class AlertEmail(models.Model):
    """One email to one member: an alert about one article or a digest of several.

    Created (status sending) before a byte goes to the mail server: it is the claim. An
    alert's delivery points to it in the same transaction; a digest owns the member's daily
    deliveries created before `covers_until` that no earlier digest owns. Its id is the
    Message-ID. See docs/alerts.md."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_emails"
    )
    kind = models.CharField(max_length=10, choices=EmailKind)
    status = models.CharField(max_length=10, choices=EmailStatus, default=EmailStatus.SENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    settled = models.BooleanField(
        default=False, help_text="A digest: its deliveries were marked with its outcome."
    )
    covers_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A digest: it covers the member's daily deliveries created before this.",
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["user", "kind", "covers_until"]),
        ]
        constraints = [
            # one digest per member and cutoff, whatever the number of workers
            models.UniqueConstraint(
                fields=["user", "kind", "covers_until"],
                condition=~models.Q(status="failed"),
                name="one_digest_per_member_and_cutoff",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} to {self.user_id}"


class Delivery(models.Model):
    """An article a member is to be told about, and why. One per member and article, however
    many follows match: the database refuses a second (one_alert_per_member_article)."""

    # no index of its own: one_alert_per_member_article (user, article) serves lookups by
    # member, and each extra index is one more scattered write per delivery
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    follow = models.ForeignKey(Follow, null=True, on_delete=models.SET_NULL, related_name="+")
    reasons = models.JSONField(default=list, help_text="Why, strongest first.")
    teaser_reasons = models.JSONField(
        default=list,
        help_text="Why, for a member who may not read the body: only the tags everyone sees. "
        "Empty: matched only through the body, so such a member is not told.",
    )
    score = models.PositiveSmallIntegerField(default=0, help_text="The strongest reason's weight.")
    mode = models.CharField(max_length=10, choices=Mode)
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    email = models.ForeignKey(
        AlertEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_alert_per_member_article")
        ]
        indexes = [models.Index(fields=["status", "mode", "created_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.article_id} to {self.user_id} ({self.status})"


class SavedSearch(models.Model):
    """A search a member saved from the results page: the query and the filters picked
    beside it. Its email choice is a Follow of kind "search" (key: this row's id), so that
    its matches travel the follows' once-per-article delivery."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=120)
    query = models.CharField(max_length=500, blank=True)
    filters = models.JSONField(
        default=dict, blank=True, help_text='Facet -> values picked, e.g. {"country": ["ML"]}.'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from urllib.parse import urlencode

        from django.urls import reverse

        params = [("q", self.query)] if self.query else []
        params += [(name, v) for name, values in sorted(self.filters.items()) for v in values]
        return reverse("search") + ("?" + urlencode(params) if params else "")
