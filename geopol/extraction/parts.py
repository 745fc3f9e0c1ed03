"""What the geoparser adds to the articles app's pages (articles/parts.py): maps of an
article, a country and a region, the map figures in bodies, and the actor and place chips."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from geopol.articles import parts
from geopol.articles.models import Article, Figure
from geopol.articles.parts import FigureDrawing
from geopol.extraction.hub import country_profile, most_mentioned
from geopol.extraction.maps import (
    LISTING_PX,
    article_map_spec,
    cached_svg,
    places_map_spec,
    recent_coverage_spec,
)
from geopol.extraction.models import ArticleEntity, EntityKind
from geopol.extraction.timelines import article_events, country_events, region_events
from geopol.extraction.visibility import public_entity_ids
from geopol.geo.models import Country, Region


def article_map(context: Any, article: Article, readable: bool) -> SafeString:
    """The locator map under an article; places only for readers who may read it
    (`readable`, decided by the view: these parts render pages cached for many readers)."""
    return mark_safe(cached_svg(article_map_spec(article, with_places=readable)))


def map_figure(article: Article, figure: Figure, readable: bool) -> FigureDrawing:
    """A map figure of the body: the article's places plus the figure's authored layers
    (with places only when `readable`)."""
    spec = article_map_spec(
        article, with_places=readable, layers=figure.layers, title=figure.caption
    )
    url = f"/api/v1/articles/{article.slug}/map?figure={figure.key}"
    return FigureDrawing(cached_svg(spec), (("data-map", url),))


def article_entities(context: Any, article: Article, readable: bool = True) -> str:
    """The actor and place chips; for readers who may not read the text, only those its
    title or teaser names or an editor gave (geopol.extraction.visibility)."""
    entities = list(ArticleEntity.objects.kept().filter(article=article).select_related("actor"))
    if not readable:
        shown = public_entity_ids([article])
        entities = [e for e in entities if e.pk in shown]
    return render_to_string(
        "extraction/includes/entities.html",
        {
            "actors": [e for e in entities if e.kind == EntityKind.ACTOR and e.actor_id],
            "places": [e for e in entities if e.kind == EntityKind.PLACE][:20],
        },
    )


def article_timeline(context: Any, article: Article, readable: bool = True) -> str:
    """The dated events of the body, in date order; nothing for readers who may not read
    it (each event is a sentence of the body)."""
    if not readable:
        return ""
    return render_to_string(
        "extraction/includes/timeline.html",
        {"events": article_events(article), "heading": "Timeline", "heading_id": "timeline-h"},
    )


def merged_timeline(events: list, heading: str) -> str:
    """Events of many analyses, newest first, each linking to its analysis."""
    return render_to_string(
        "extraction/includes/timeline.html",
        {
            "events": events,
            "heading": heading,
            "heading_id": "events-h",
            "section_title": True,
            "with_articles": True,
        },
    )


def country_timeline(context: Any, country: Country) -> str:
    """A country's events for this reader (from bodies they may read: the request's user)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return merged_timeline(country_events(user, country), "Timeline")


def country_profile_box(context: Any, country: Country) -> str:
    """The country's profile box: the Factbook's facts, heads checked against the registry."""
    return render_to_string(
        "extraction/includes/country_profile.html", {"profile": country_profile(country)}
    )


def country_mentioned(context: Any, country: Country) -> str:
    """The actors and persons most mentioned lately, in analyses this reader may read."""
    user = getattr(context.get("request"), "user", None)
    mentioned = most_mentioned(user, Article.objects.in_country(country))
    return render_to_string("extraction/includes/most_mentioned.html", {"mentioned": mentioned})


def region_mentioned(context: Any, region: Region) -> str:
    user = getattr(context.get("request"), "user", None)
    mentioned = most_mentioned(user, Article.objects.in_region(region))
    return render_to_string("extraction/includes/most_mentioned.html", {"mentioned": mentioned})


def region_timeline(context: Any, region: Region) -> str:
    user = getattr(context.get("request"), "user", None)
    return merged_timeline(region_events(user, region), "Timeline")


def recent_places(article_ids: list[int], codes: set[str] | None = None) -> list[ArticleEntity]:
    """Places of these articles, most mentioned first, one per name; only in `codes`."""
    entities = ArticleEntity.objects.kept().filter(
        article_id__in=article_ids, kind=EntityKind.PLACE
    )
    if codes is not None:
        entities = entities.filter(country_id__in=codes)
    counts = Counter(e.name for e in entities)
    first: dict[str, ArticleEntity] = {}
    for entity in entities:
        first.setdefault(entity.name, entity)
        first[entity.name].mentions = counts[entity.name]
    return sorted(first.values(), key=lambda e: -e.mentions)


def country_map(context: Any, country: Country) -> SafeString:
    ids = list(
        Article.objects.published()
        .in_country(country)
        .newest()
        .filter(access="public")
        .values_list("pk", flat=True)[:50]
    )
    spec = places_map_spec(
        recent_places(ids, {country.code}),
        {country.code},
        f"Places in {country.name}",
        "No places mentioned in recent analyses",
        country.name,
        width=LISTING_PX,
    )
    return mark_safe(cached_svg(spec))


def region_map(context: Any, region: Region) -> SafeString:
    codes = set(
        Country.objects.filter(region=region, articles__isnull=False)
        .values_list("code", flat=True)
        .distinct()
    )
    ids = list(
        Article.objects.published()
        .in_region(region)
        .newest()
        .filter(access="public")
        .values_list("pk", flat=True)[:50]
    )
    in_region = set(region.countries.values_list("code", flat=True))
    spec = places_map_spec(
        recent_places(ids, in_region),
        codes or in_region,
        region.name,
        "No places mentioned in recent analyses",
        "Countries with analyses",
        width=LISTING_PX,
    )
    return mark_safe(cached_svg(spec))


def home_map(context: Any, newest: Article | None = None) -> SafeString:
    """The home page's map of what the latest analyses are about (`newest`: the newest
    published analysis, which the page has already fetched)."""
    newest_at = newest.published_at if newest is not None else None
    spec = recent_coverage_spec(newest_at, timezone.now())
    return render_to_string(
        "extraction/includes/home_map.html", {"svg": mark_safe(cached_svg(spec)), "spec": spec}
    )


def register() -> None:
    parts.contribute("article-map", article_map)
    parts.contribute("article-entities", article_entities)
    parts.contribute("article-timeline", article_timeline)
    parts.contribute("country-map", country_map)
    parts.contribute("country-timeline", country_timeline)
    parts.contribute("country-profile", country_profile_box)
    parts.contribute("country-actors", country_mentioned)
    parts.contribute("region-timeline", region_timeline)
    parts.contribute("region-actors", region_mentioned)
    parts.contribute("region-map", region_map)
    parts.contribute("home-map", home_map)
    parts.contribute_figure("map", map_figure)
