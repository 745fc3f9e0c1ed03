"""Template tags of the extraction app's own pages (the articles' pages get the geoparser's
maps and chips through articles.parts: see extraction/parts.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from geopol.articles.models import Article
from geopol.extraction.maps import LISTING_PX, cached_svg, places_map_spec
from geopol.extraction.parts import recent_places

register = template.Library()


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
        recent_places(public, codes or None),
        codes,
        f"Places in analyses mentioning {actor.name}",
        "No places in the analyses that mention it yet",
        f"Countries of {actor.name}",
        width=LISTING_PX,
    )
    return mark_safe(cached_svg(spec))
