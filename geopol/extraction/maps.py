"""Maps of what the geoparser found: for an article, a country, a region, an actor.

Specs are built from the tags (ArticleEntity, ArticleCountry); SVGs are rendered by
geopol.geo.maps and cached by their content, so an unchanged map costs one cache lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse

from geopol.articles.models import Article, ArticleCountry
from geopol.extraction.models import ArticleEntity, EntityKind
from geopol.extraction.places import precision_of_key
from geopol.extraction.visibility import public_entity_ids
from geopol.geo.maps import WORLD, MapPoint, MapSpec, render_svgs
from geopol.geo.models import Country

CACHE_SECONDS = 24 * 3600
MAX_POINTS = 25


HOME_DAYS = 30
# An article's map is shown in the text column (site.css --measure): 592 px at 1366 px,
# measured in Chromium; its text is sized for that width. Country and region pages show
# theirs 980 px wide (.listing), so they are drawn that wide.
ARTICLE_COLUMN_PX = 590
LISTING_PX = 960


def cached_svg(spec: MapSpec) -> str:
    """The map's HTML for a page: its wide and its narrow SVG (geopol.geo.maps.render_svgs),
    cached by the spec's content."""
    payload = json.dumps(asdict(spec), sort_keys=True, default=sorted).encode()
    key = "map:v2:" + hashlib.sha256(payload).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = render_svgs(spec)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def place_url(name: str) -> str:
    """Where a place leads: the search for analyses that mention it, as the search box's
    suggestions do (there is no page per place)."""
    return "/search/?" + urlencode({"q": f'place:"{name}"'})


def country_links() -> dict[str, str]:
    """Every country's page by its code, for maps to link to; cached (slugs do not change
    once countries are loaded), so a map costs no query for its links."""
    links = cache.get("map:country-links")
    if links is None:
        links = {
            code: reverse("country", args=[slug])
            for code, slug in Country.objects.values_list("code", "slug")
        }
        cache.set("map:country-links", links, CACHE_SECONDS)
    return links  # type: ignore[no-any-return]


def _points(entities: Any) -> list[MapPoint]:
    points = []
    for entity in entities[:MAX_POINTS]:
        if entity.lat is None or entity.lon is None:
            continue
        kind = "place" if precision_of_key(entity.key) == "point" else "approximate"
        points.append(
            MapPoint(
                entity.name,
                entity.lat,
                entity.lon,
                kind,
                emphasis=min(entity.mentions, 3) - 1,
                href=place_url(entity.name),
            )
        )
    return points


def _layer_labels(layers: dict[str, Any] | None) -> set[str]:
    labels = set()
    features = (layers or {}).get("features") if isinstance(layers, dict) else None
    for feature in features if isinstance(features, list) else []:
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            continue  # parse_layers reports and skips malformed features
        properties = feature["properties"]
        label = properties.get("label") or properties.get("name") or ""
        labels.add(str(label).split(" (")[0].casefold())
    return labels


def article_map_spec(
    article: Article,
    *,
    with_places: bool = True,
    layers: dict[str, Any] | None = None,
    title: str = "",
) -> MapSpec:
    """The map of an article: its countries for every reader (the machine's too); its places
    for readers of the text, and for others only those the title or teaser names or an
    editor gave (geopol.extraction.visibility); figure layers only for readers."""
    links = list(article.country_links.all())
    primary = {link.country_id for link in links if link.primary}
    secondary = {link.country_id for link in links} - primary
    places = list(
        ArticleEntity.objects.kept()
        .filter(article=article, kind=EntityKind.PLACE)
        .order_by("-mentions", "name")
    )
    if not with_places:
        shown = public_entity_ids([article])
        places = [p for p in places if p.pk in shown]
    # a map of Mali should not stretch to Europe because Paris is mentioned once
    focus = primary or secondary
    near = [p for p in places if p.country_id in focus]
    drawn = _layer_labels(layers)  # the editor's own points win over the machine's
    points = [p for p in _points(near or places) if p.label.casefold() not in drawn]
    if points or layers:
        note = ""
    elif not with_places and (primary or secondary):
        note = "Places named in the text are for readers of this analysis"
    else:
        note = "No places resolved for this analysis"
    return MapSpec(
        points=points,
        primary=primary or secondary,
        secondary=secondary if primary else set(),
        layers=layers,
        title=title or f"Places in “{article.title}”",
        note=note,
        fallback=primary | secondary,
        country_links=country_links(),
        display_width=ARTICLE_COLUMN_PX,
        primary_legend="Countries of this analysis",
        secondary_legend="Also mentioned",
    )


def places_map_spec(
    entities: Any,
    primary: set[str],
    title: str,
    note: str,
    legend: str = "Countries of this map",
    width: int = 720,
) -> MapSpec:
    """The map of the places of several analyses (a country's, a region's, an actor's);
    `width` is the width the page shows it at (a wide page's map is drawn 1:1)."""
    points = _points(entities)
    return MapSpec(
        points=points,
        primary=primary,
        title=title,
        note="" if points else note,
        fallback=primary,
        country_links=country_links(),
        primary_legend=legend,
        width=width,
    )


def recent_coverage_spec(newest: dt.datetime | None, now: dt.datetime) -> MapSpec:
    """The home page's world map: countries shaded by how many analyses of the last 30 days
    are tagged with them (country tags are public metadata of every piece, so the map is the
    same for every reader). When nothing was published in the last 30 days (an archive, the
    demo corpus), the 30 days up to the newest analysis, and the title says so. One query."""
    end = now
    if newest is not None and newest < now - dt.timedelta(days=HOME_DAYS):
        end = newest
    start = end - dt.timedelta(days=HOME_DAYS)
    counts = dict(
        ArticleCountry.objects.filter(
            article__in=Article.objects.published(),
            article__published_at__gt=start,
            article__published_at__lte=end,
        )
        .values_list("country_id")
        .annotate(n=Count("article", distinct=True))
        .values_list("country_id", "n")
    )
    if end == now:
        title = f"What the analyses of the last {HOME_DAYS} days are about"
    else:
        title = f"What the analyses of the {HOME_DAYS} days to {end:%b %-d, %Y} are about"
    return MapSpec(
        title=title,
        bbox=WORLD,
        height=None,
        shades=counts,
        country_links=country_links(),
        note="" if counts else f"No analyses in the last {HOME_DAYS} days",
    )
