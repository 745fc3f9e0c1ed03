"""Template tags of the extraction app's own pages (the articles' pages get the geoparser's
maps and chips through articles.parts: see extraction/parts.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from geopol.articles.models import Article
from geopol.core.timefmt import event_date
from geopol.extraction.maps import LISTING_PX, cached_svg, places_map_spec
from geopol.extraction.parts import merged_timeline, recent_places
from geopol.extraction.timelines import actor_events

register = template.Library()


@register.simple_tag(takes_context=True)
def actor_timeline(context, actor) -> SafeString:
    """The dated events whose sentence names `actor`, for the page's reader."""
    request = context.get("request")
    events = actor_events(getattr(request, "user", None), actor.slug)
    return mark_safe(merged_timeline(events, "Dated events"))


@register.filter
def event_label(event) -> str:
    """An event's date in the house style, as exact as it is known (core.timefmt)."""
    return event_date(event.date, event.precision)


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
