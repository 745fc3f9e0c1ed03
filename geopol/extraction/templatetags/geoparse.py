"""Template tags that put the geoparser's maps and tags on the articles' pages."""

from __future__ import annotations

import re
from collections import Counter

from django import template
from django.utils.safestring import SafeString, mark_safe

from geopol.articles.models import Article
from geopol.extraction.maps import article_map_spec, cached_svg, places_map_spec
from geopol.extraction.models import ArticleEntity, EntityKind
from geopol.extraction.visibility import public_entity_ids
from geopol.geo.models import Country, Region

register = template.Library()

CANVAS_RE = re.compile(
    r'(<figure class="figure figure-map" id="figure-([\w-]+)">)'
    r'<div class="figure-map-canvas"[^>]*>.*?</div>',
    re.S,
)


@register.simple_tag
def article_map(article: Article, readable: bool) -> SafeString:
    """The locator map under an article; places only for readers who may read it
    (`readable`, decided by the view: these tags render parts cached for many readers)."""
    return mark_safe(cached_svg(article_map_spec(article, with_places=readable)))


@register.simple_tag
def body_with_maps(article: Article, readable: bool) -> SafeString:
    """The body HTML with each map figure drawn: the article's places plus the figure's
    authored layers (with places only when `readable`)."""
    figures = {f.key: f for f in article.figures.all() if f.kind == "map"}

    def draw(match: re.Match[str]) -> str:
        figure = figures.get(match.group(2))
        if figure is None:
            return match.group(0)
        spec = article_map_spec(
            article, with_places=readable, layers=figure.layers, title=figure.caption
        )
        opening = match.group(1).replace(
            "<figure ",
            f'<figure data-map="/api/v1/articles/{article.slug}/map?figure={figure.key}" ',
            1,
        )
        return opening + cached_svg(spec)

    return mark_safe(CANVAS_RE.sub(draw, article.body_html))


@register.inclusion_tag("extraction/includes/entities.html")
def article_entities(article: Article, readable: bool = True) -> dict:
    """The actor and place chips; for readers who may not read the text, only those its
    title or teaser names or an editor gave (geopol.extraction.visibility)."""
    entities = list(ArticleEntity.objects.kept().filter(article=article).select_related("actor"))
    if not readable:
        shown = public_entity_ids([article])
        entities = [e for e in entities if e.pk in shown]
    return {
        "actors": [e for e in entities if e.kind == EntityKind.ACTOR and e.actor_id],
        "places": [e for e in entities if e.kind == EntityKind.PLACE][:20],
    }


def _recent_places(article_ids: list[int], codes: set[str] | None = None):
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


@register.simple_tag
def country_map(country: Country) -> SafeString:
    ids = list(
        Article.objects.published()
        .in_country(country)
        .newest()
        .filter(access="public")
        .values_list("pk", flat=True)[:50]
    )
    spec = places_map_spec(
        _recent_places(ids, {country.code}),
        {country.code},
        f"Places in {country.name}",
        "No places mentioned in recent analyses",
    )
    return mark_safe(cached_svg(spec))


@register.simple_tag
def region_map(region: Region) -> SafeString:
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
        _recent_places(ids, in_region),
        codes or in_region,
        region.name,
        "No places mentioned in recent analyses",
    )
    return mark_safe(cached_svg(spec))


@register.simple_tag
def actor_map(actor, article_ids: list[int]) -> SafeString:
    """Where an actor's analyses take place: their places, its countries shaded."""
    codes = set(actor.countries.values_list("code", flat=True))
    if actor.home_id:
        codes.add(actor.home_id)
    public = list(
        Article.objects.published()
        .filter(pk__in=article_ids, access="public")
        .values_list("pk", flat=True)
    )
    spec = places_map_spec(
        _recent_places(public, codes or None),
        codes,
        f"Places in analyses mentioning {actor.name}",
        "No places in the analyses that mention it yet",
    )
    return mark_safe(cached_svg(spec))
