"""What this app draws into the articles app's pages (articles/parts.py): Connected Content,
per kind of reader (a hole of the cached page, filled on every request)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.template.loader import render_to_string

from geopol.articles import parts
from geopol.articles.models import Article, ArticleCountry
from geopol.geo.models import Country, Region
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
    about = ArticleCountry.objects.filter(country=country, primary=True)
    return _storylines_about(about, country.name)


def region_storylines(context: Any, region: Region) -> str:
    """The same for a region: storylines of analyses whose primary country lies in it."""
    about = ArticleCountry.objects.filter(country__region=region, primary=True)
    return _storylines_about(about, region.name)


def _storylines_about(about: QuerySet[ArticleCountry], name: str) -> str:
    published = Article.objects.published().filter(pk__in=about.values("article_id")).values("pk")
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
        {"storylines": list(storylines), "name": name},
    )


def register() -> None:
    parts.contribute("connected", connected)
    parts.contribute("country-storylines", country_storylines)
    parts.contribute("region-storylines", region_storylines)
