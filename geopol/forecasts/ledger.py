"""The scorecard of the forecast ledger: scores per analyst, region, topic and year of the
judgments of published analyses, computed by scoring.py from what the database holds."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from geopol.forecasts.models import Judgment, Outcome
from geopol.forecasts.scoring import Forecast, Score, score, score_groups

DIMENSIONS = (
    ("analyst", "By analyst"),
    ("region", "By region"),
    ("topic", "By topic"),
    ("year", "By year made"),
)


@dataclass(frozen=True)
class Scorecard:
    overall: Score
    groups: dict[str, list[Score]]  # dimension -> scores, best first
    counts: dict[str, int]  # open, true, false, annulled


def _labels(judgment: Judgment, dimension: str) -> Iterator[tuple[str, str]]:
    """The (key, label) groups one judgment scores in along a dimension."""
    article = judgment.article
    if dimension == "analyst":
        for author in article.authors.all():
            yield author.slug, author.name
    elif dimension == "topic":
        for topic in article.topics.all():
            yield topic.slug, topic.name
    elif dimension == "year":
        year = str(article.published_at.year)
        yield year, year
    elif dimension == "region":
        regions = {c.region.slug: c.region.name for c in judgment.countries.all() if c.region}
        yield from regions.items()


def build_scorecard(now: dt.datetime | None = None) -> Scorecard:
    judgments = list(Judgment.objects.public(now).for_scoring())
    counts = Counter(j.outcome for j in judgments)
    scored = [j for j in judgments if j.outcome in (Outcome.TRUE, Outcome.FALSE)]
    forecasts = {j.pk: Forecast(j.probability, j.outcome == Outcome.TRUE) for j in scored}
    groups = {
        dimension: score_groups(
            (key, label, forecasts[j.pk]) for j in scored for key, label in _labels(j, dimension)
        )
        for dimension, _ in DIMENSIONS
    }
    groups["year"].sort(key=lambda s: s.key)  # years read best in order
    return Scorecard(
        overall=score("all", "All analysts", list(forecasts.values())),
        groups=groups,
        counts={o.value: counts.get(o.value, 0) for o in Outcome},
    )
