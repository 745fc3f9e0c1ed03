"""What this app draws into the articles app's pages (articles/parts.py): Connected Content,
per kind of reader (a hole of the cached page, filled on every request)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q
from django.template.loader import render_to_string

from geopol.articles import parts
from geopol.articles.models import Article, ArticleCountry
from geopol.geo.models import Country
from geopol.related.models import Storyline
from geopol.related.services import related_for


def connected(context: Any, article: Article, reader: str) -> str:
    return render_to_string(
        "related/includes/connected.html", {"connected": related_for(article, reader=reader)}
    )


COUNTRY_STORYLINES = 6


def country_storylines(context: Any, country: Country) -> str:
    """The storylines whose published analyses are about `country` (its primary country),
    latest first. Storylines are threaded from what every reader may see: public."""
    about = ArticleCountry.objects.filter(country=country, primary=True).values("article_id")
    published = Article.objects.published().filter(pk__in=about).values("pk")
    member = Q(links__removed=False, links__article__in=published)
    storylines = (
        Storyline.objects.annotate(
            n=Count("links", filter=member),
            latest=Max("links__article__published_at", filter=member),
        )
        .filter(n__gt=0)
        .order_by("-latest")[:COUNTRY_STORYLINES]
    )
    return render_to_string(
        "related/includes/country_storylines.html",
        {"storylines": list(storylines), "country": country},
    )


def register() -> None:
    parts.contribute("connected", connected)
    parts.contribute("country-storylines", country_storylines)
