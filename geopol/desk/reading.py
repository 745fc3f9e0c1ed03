"""What the desk shows beside the text: the machine's reading (countries, places, actors, each
with where it appears) and the key judgments with the tradecraft linter's proposals and flags.
Reads only; the writes are extraction.decisions and forecasts.services."""

from __future__ import annotations

import re
from typing import Any

from geopol.articles.models import Article
from geopol.articles.rendering import FigureView, render_body_and_text
from geopol.extraction.models import ArticleEntity, Decision, EntityKind
from geopol.extraction.services import article_text
from geopol.forecasts.lint import Declared, lint
from geopol.forecasts.models import Judgment

SNIPPETS = 3  # places in the text shown per entity
CONTEXT = 45  # characters either side


def _squeeze(part: str) -> str:
    """Whitespace runs as one space, a space kept at either end (it separates the mark)."""
    return re.sub(r"\s+", " ", part)


def _where(text: str, spans: list[Any]) -> list[dict[str, Any]]:
    found = []
    for span in spans[:SNIPPETS]:
        if span.start < 0:
            found.append({"paragraph": "title", "before": "", "text": span.text, "after": ""})
            continue
        paragraph = text.count("\n\n", 0, span.start) + 1
        start = max(0, span.start - CONTEXT)
        found.append(
            {
                "paragraph": f"¶{paragraph}",
                "before": ("…" if start else "") + _squeeze(text[start : span.start]),
                "text": text[span.start : span.end],
                "after": _squeeze(text[span.end : span.end + CONTEXT]) + "…",
            }
        )
    return found


def panel(article: Article) -> dict[str, Any]:
    """Countries (primary or mentioned), places, actors and persons (apart from the other
    actors), with their decisions and where each appears in the text."""
    text = article_text(article)
    entities = list(
        ArticleEntity.objects.filter(article=article)
        .select_related("country", "actor")
        .prefetch_related("spans")
        .order_by("-primary", "-mentions", "name")
    )
    groups: dict[str, list[dict[str, Any]]] = {k: [] for k in [*EntityKind.values, "person"]}
    for entity in entities:
        spans = list(entity.spans.all())
        person = entity.kind == EntityKind.ACTOR and entity.actor and entity.actor.is_person
        groups["person" if person else entity.kind].append(
            {
                "entity": entity,
                "removed": entity.decision == Decision.REMOVED,
                "confirmed": entity.decision == Decision.CONFIRMED,
                "where": _where(text, spans),
                "count": len(spans),
                "unmapped": entity.kind == EntityKind.PLACE and entity.lat is None,
            }
        )
    return {
        "countries": groups[EntityKind.COUNTRY],
        "places": groups[EntityKind.PLACE],
        "actors": groups[EntityKind.ACTOR],  # organisations: groups, forces, missions...
        "persons": groups["person"],  # actors of kind person, listed apart
    }


def paragraphs(article: Article) -> list[str]:
    figures = [FigureView(f.key, f.kind, f.caption) for f in article.figures.all()]
    _, text = render_body_and_text(article.body, figures)
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def judgments_panel(article: Article) -> dict[str, Any]:
    """The piece's key judgments and what the linter proposes and flags on its saved text."""
    judgments = list(Judgment.objects.filter(article=article).order_by("position", "id"))
    declared = [
        Declared(
            j.statement, j.likelihood, j.probability if j.probability_given else None, j.resolves_by
        )
        for j in judgments
    ]
    result = lint(paragraphs(article), declared)
    stated = {" ".join(j.statement.casefold().split()) for j in judgments}
    proposals = [
        p for p in result.proposed if " ".join(p.statement.casefold().split()) not in stated
    ]
    return {"items": judgments, "proposed": proposals, "flagged": result.flagged}
