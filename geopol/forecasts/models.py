"""Key judgments of analyses, their resolution, and who follows a country's forecasts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from geopol.articles.models import Article
from geopol.core import estimative
from geopol.extraction.models import Actor
from geopol.geo.models import Country


class Outcome(models.TextChoices):
    OPEN = "open", "Open"
    TRUE = "true", "True"
    FALSE = "false", "False"
    ANNULLED = "annulled", "Annulled"


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


LIKELIHOODS = [(t.key, f"{t.key} ({t.band_label})") for t in estimative.terms()]


class JudgmentQuerySet(models.QuerySet["Judgment"]):
    def public(self, now: dt.datetime | None = None) -> JudgmentQuerySet:
        """Judgments of analyses readers can find (published, or scheduled and due)."""
        return self.filter(article__in=Article.objects.published(now))

    def open(self) -> JudgmentQuerySet:
        return self.filter(outcome=Outcome.OPEN)

    def scored(self) -> JudgmentQuerySet:
        """Resolved true or false: what a Brier score is computed over."""
        return self.filter(outcome__in=[Outcome.TRUE, Outcome.FALSE])

    def by_resolve_date(self) -> JudgmentQuerySet:
        """Soonest resolve-by date first; those without one last."""
        return self.order_by(models.F("resolves_by").asc(nulls_last=True), "id")

    def in_country(self, code: str) -> JudgmentQuerySet:
        return self.filter(countries__code=code).distinct()

    def for_scoring(self) -> JudgmentQuerySet:
        return self.select_related("article").prefetch_related(
            "article__authors", "article__topics", "countries__region"
        )


class Judgment(models.Model):
    """One key judgment: a statement, an ICD 203 likelihood with a probability inside its
    band, a confidence level (a separate statement), how and by when it resolves."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="judgments")
    position = models.PositiveSmallIntegerField(default=0)
    statement = models.TextField()
    likelihood = models.CharField(max_length=30, choices=LIKELIHOODS)
    probability = models.FloatField(
        help_text="Inside the likelihood's band; left empty, the band's midpoint is used."
    )
    probability_given = models.BooleanField(default=True, editable=False)
    confidence = models.CharField(max_length=10, choices=Confidence, blank=True)
    resolves_by = models.DateField(null=True, blank=True)
    criteria = models.TextField(blank=True, help_text="What makes the judgment true or false.")
    countries = models.ManyToManyField(Country, blank=True, related_name="judgments")
    actors = models.ManyToManyField(Actor, blank=True, related_name="judgments")
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.OPEN)
    resolution_note = models.TextField(blank=True)
    resolution_link = models.URLField(max_length=500, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = JudgmentQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "id"]
        indexes = [models.Index(fields=["outcome", "resolves_by"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=1),
                name="judgment_probability_0_1",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.statement[:60]}"

    @property
    def term(self) -> estimative.Term:
        found = estimative.term(self.likelihood)
        assert found is not None  # the field's choices are the terms
        return found

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN


class ForecastFollow(models.Model):
    """A member follows the open forecasts about a country: an email when one resolves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forecast_follows"
    )
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="one_forecast_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows forecasts on {self.country_id}"


class ResolutionEmail(models.Model):
    """One email telling a follower that a judgment resolved; sent once (the task checks)."""

    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["judgment", "user", "outcome"], name="one_resolution_email"
            )
        ]

    def __str__(self) -> str:
        return f"judgment {self.judgment_id} resolved {self.outcome}: email to {self.user_id}"
