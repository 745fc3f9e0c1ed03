"""Maps of what the geoparser found: for an article, a country, a region, an actor.

Specs are built from the tags (ArticleEntity, ArticleCountry); SVGs are rendered by
geopol.geo.maps and cached by their content, so an unchanged map costs one cache lookup.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from django.core.cache import cache

from geopol.articles.models import Article
from geopol.extraction.models import ArticleEntity, EntityKind
from geopol.extraction.visibility import public_entity_ids
from geopol.geo.maps import MapPoint, MapSpec, render_svg

CACHE_SECONDS = 24 * 3600
MAX_POINTS = 25


def cached_svg(spec: MapSpec) -> str:
    payload = json.dumps(asdict(spec), sort_keys=True, default=sorted).encode()
    key = "map:" + hashlib.sha256(payload).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(spec)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _points(entities: Any) -> list[MapPoint]:
    points = []
    for entity in entities[:MAX_POINTS]:
        if entity.lat is None or entity.lon is None:
            continue
        kind = "approximate" if entity.key.startswith("iso:") else "place"
        points.append(
            MapPoint(
                entity.name, entity.lat, entity.lon, kind, emphasis=min(entity.mentions, 3) - 1
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
    )


def places_map_spec(entities: Any, primary: set[str], title: str, note: str) -> MapSpec:
    points = _points(entities)
    return MapSpec(
        points=points, primary=primary, title=title, note="" if points else note, fallback=primary
    )
