"""The "Key judgments" box of an article page: {% key_judgments article readable %}."""

from __future__ import annotations

from django import template

from geopol.articles.models import Article

register = template.Library()


@register.inclusion_tag("forecasts/key_judgments.html")
def key_judgments(article: Article, readable: bool) -> dict:
    judgments = list(article.judgments.prefetch_related("countries"))
    return {"judgments": judgments, "readable": readable, "article": article}


@register.filter
def percent(value: float | None) -> str:
    """0.7 -> '70%'; 0.675 -> '67.5%'."""
    if value is None:
        return "–"
    text = f"{value * 100:.1f}".removesuffix(".0")
    return f"{text}%"
