"""Parts of the articles app's pages that apps above it draw: maps, tag lists, follow buttons.

A page of this app leaves a named slot; an app above fills it with one line in its
AppConfig.ready, `contribute("country-map", draw)`, and the template draws the slot with
`{% load pageparts %}{% part "country-map" country=country %}`. A slot nobody fills draws
nothing, so the articles app works alone and never loads another app's template tags.

`draw(context, **values)` gets the template context (the request, the CSRF token: pages
cached for many readers have neither) and the slot's values; it returns safe HTML.

Map figures in a body are drawn the same way: the body HTML keeps, for each map figure, the
canvas `rendering.figure_html` wrote; `contribute_figure("map", draw)` installs what
replaces it, `draw(article, figure, readable) -> FigureDrawing | None`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from geopol.articles.models import Article, Figure
from geopol.articles.rendering import replace_figure_canvases

# slot -> the values its template passes
SLOTS = {
    "follow": "obj: the page's subject (country, region, topic, author, actor, storyline)",
    "article-map": "article, readable: the locator map under an article",
    "article-entities": "article, readable: the places and actors an article mentions",
    "key-judgments": "article, readable: an article's key judgments (forecasts)",
    "article-timeline": "article, readable: the dated events an article's body writes",
    "country-map": "country: where a country's analyses take place",
    "country-timeline": "country: dated events of its analyses, for the reader (request)",
    "country-profile": "country: its profile box (capital, population, heads)",
    "country-actors": "country: the actors and persons its analyses name most lately",
    "country-storylines": "country: the storylines its analyses belong to, latest first",
    "region-map": "region: where a region's analyses take place",
    "region-timeline": "region: dated events of its analyses, for the reader (request)",
    "region-actors": "region: the actors and persons its analyses name most lately",
    "region-storylines": "region: the storylines its countries' analyses belong to",
    "home-map": "newest: the home page's map of what the latest analyses are about",
    # drawn on every request (a hole of the cached page): context is None, reader is a key
    # of access.TIERS_BY_READER
    "connected": "article, reader: Connected Content for that kind of reader",
}

Draw = Callable[..., str]


@dataclass(frozen=True)
class FigureDrawing:
    """What replaces a figure's canvas: its HTML, and attributes for the <figure> element."""

    html: str
    attributes: tuple[tuple[str, str], ...] = ()


FigureDraw = Callable[[Article, Figure, bool], FigureDrawing | None]

_parts: dict[str, list[Draw]] = {slot: [] for slot in SLOTS}
_figures: dict[str, FigureDraw] = {}


def contribute(slot: str, draw: Draw) -> None:
    """Draw `slot` with `draw(context, **values)` (after those contributed before)."""
    if slot not in _parts:
        raise ValueError(f"unknown page slot {slot!r}; use one of {', '.join(SLOTS)}")
    if draw not in _parts[slot]:
        _parts[slot].append(draw)


def contribute_figure(kind: str, draw: FigureDraw) -> None:
    """Draw the figures of `kind` ("map") in article bodies with `draw`."""
    _figures[kind] = draw


def filled(slot: str) -> bool:
    """True when an app draws `slot` (else the page draws its own default)."""
    return bool(_parts.get(slot))


def draw(slot: str, context: Any, **values: Any) -> SafeString:
    if slot not in _parts:
        raise ValueError(f"unknown page slot {slot!r}; use one of {', '.join(SLOTS)}")
    return mark_safe("".join(part(context, **values) for part in _parts[slot]))


def body_html(article: Article, readable: bool) -> SafeString:
    """The article's body HTML with its figures drawn by the apps that contributed them."""
    draw_map = _figures.get("map")
    if draw_map is None:
        return mark_safe(article.body_html)
    figures = {f.key: f for f in article.figures.all() if f.kind == "map"}

    def replace(key: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        figure = figures.get(key)
        drawing = None if figure is None else draw_map(article, figure, readable)
        return None if drawing is None else (drawing.html, drawing.attributes)

    return mark_safe(replace_figure_canvases(article.body_html, replace))
