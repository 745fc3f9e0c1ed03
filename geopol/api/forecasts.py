"""The forecast ledger in the API: key judgments with their outcomes, and the scorecard.

A judgment's statement, criteria and resolution note are returned only to readers who may
read its analysis; everyone gets its likelihood, probability, dates and outcome."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, When
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from geopol.articles.access import readable_tiers
from geopol.forecasts.ledger import build_scorecard
from geopol.forecasts.models import Judgment, Outcome
from geopol.forecasts.scoring import Score

router = Router(tags=["forecasts"])
MAX_LIMIT = 100


class JudgmentOut(Schema):
    id: int
    article: str  # slug
    article_url: str
    url: str  # the judgment on its article page
    readable: bool
    statement: str | None
    criteria: str | None
    likelihood: str
    band: list[float]
    probability: float
    probability_given: bool
    confidence: str | None
    resolves_by: dt.date | None
    countries: list[str]
    outcome: str
    resolution_note: str | None
    resolution_link: str | None
    resolved_at: dt.datetime | None


class JudgmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[JudgmentOut]


class JudgmentFilters(Schema):
    outcome: str | None = None  # open, true, false, annulled
    country: str | None = None  # ISO code
    article: str | None = None  # slug
    limit: int = 25
    offset: int = 0


class BinOut(Schema):
    low: float
    high: float
    count: int
    mean_probability: float | None
    observed: float | None


class ScoreOut(Schema):
    key: str
    label: str
    count: int
    brier: float | None
    calibration: list[BinOut]


class ScorecardOut(Schema):
    overall: ScoreOut
    counts: dict[str, int]
    analyst: list[ScoreOut]
    region: list[ScoreOut]
    topic: list[ScoreOut]
    year: list[ScoreOut]


def _judgment(j: Judgment, tiers: frozenset[str]) -> dict:
    readable = j.article.access in tiers
    article_url = j.article.get_absolute_url()
    return {
        "id": j.pk,
        "article": j.article.slug,
        "article_url": article_url,
        "url": f"{article_url}#judgment-{j.pk}",
        "readable": readable,
        "statement": j.statement if readable else None,
        "criteria": j.criteria if readable else None,
        "likelihood": j.likelihood,
        "band": [j.term.low, j.term.high],
        "probability": j.probability,
        "probability_given": j.probability_given,
        "confidence": j.confidence or None,
        "resolves_by": j.resolves_by,
        "countries": [c.code for c in j.countries.all()],
        "outcome": j.outcome,
        "resolution_note": j.resolution_note if readable else None,
        "resolution_link": j.resolution_link or None,
        "resolved_at": j.resolved_at,
    }


def _score(s: Score) -> dict:
    return {
        "key": s.key,
        "label": s.label,
        "count": s.count,
        "brier": s.brier,
        "calibration": [
            {
                "low": b.low,
                "high": b.high,
                "count": b.count,
                "mean_probability": b.mean_probability,
                "observed": b.observed,
            }
            for b in s.bins
        ],
    }


@router.get("", response=JudgmentPage)
def list_judgments(request: HttpRequest, filters: Query[JudgmentFilters]):
    """Key judgments of published analyses: open ones by resolve-by date, soonest first,
    then the resolved; filter by outcome, country or article."""
    queryset = Judgment.objects.public()
    if filters.outcome:
        queryset = queryset.filter(outcome=filters.outcome)
    if filters.country:
        queryset = queryset.in_country(filters.country.upper())
    if filters.article:
        queryset = queryset.filter(article__slug=filters.article)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    open_first = Case(When(outcome=Outcome.OPEN, then=0), default=1)
    page = (
        queryset.order_by(open_first, F("resolves_by").asc(nulls_last=True), "id")
        .select_related("article")
        .prefetch_related("countries")[offset : offset + limit]
    )
    tiers = readable_tiers(request.user)
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": [_judgment(j, tiers) for j in page],
    }


@router.get("/scorecard", response=ScorecardOut)
def scorecard(request: HttpRequest):
    """Brier scores and calibration (ten probability bins, with counts) of the resolved
    judgments, overall and per analyst, region, topic and year the forecast was made."""
    card = build_scorecard()
    return {
        "overall": _score(card.overall),
        "counts": card.counts,
        **{dimension: [_score(s) for s in scores] for dimension, scores in card.groups.items()},
    }


@router.get("/{judgment_id}", response=JudgmentOut)
def get_judgment(request: HttpRequest, judgment_id: int):
    judgment = get_object_or_404(
        Judgment.objects.public().select_related("article"), pk=judgment_id
    )
    return _judgment(judgment, readable_tiers(request.user))
