"""Server-side maps: an inline SVG locator map and GeoJSON for an analysis, country or region.

The SVG needs no JavaScript and no tile server, so it works in print, in feeds and in
e-mail; the GeoJSON feeds Leaflet when the page enhances itself. Both come from one
`MapSpec`, built by the caller from resolved places and tagged countries:

    spec = MapSpec(
        points=[MapPoint("Mopti", 14.49, -4.20), MapPoint("Bamako", 12.65, -8.0, "capital")],
        primary={"ML"}, secondary={"FR"}, title="Mali Jihadist Battlefield",
    )
    svg = render_svg(spec)

Pure Python with no Django imports. Country shapes are Natural Earth's (worldshapes.py),
drawn in Web Mercator to match Leaflet. Output is deterministic, so it can be cached on
the spec. Maps are never empty: with nothing to show, the world is drawn with `spec.note`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

from geopol.geo import maplabels as labels
from geopol.geo import mapstyle
from geopol.geo.maplayers import LayerFeature, feature_geojson, layers_bbox, parse_layers
from geopol.geo.maplegend import legend_box, legend_height, legend_strip
from geopol.geo.projection import XY, BBox, View, fit_view, mercator_y, path_data, union
from geopol.geo.seas import sea_labels
from geopol.geo.svglayers import area_labels, hatch_patterns, layer_areas, layer_lines
from geopol.geo.svgparts import (
    ACCENT,
    BORDER,
    FONT,
    HALO,
    INK,
    LAND,
    PRIMARY_FILL,
    SEA,
    SECONDARY_FILL,
    SIMPLIFY_PX,
    Layout,
    attribution,
    clean_text,
    country_rings,
    fmt,
    label_anchor,
    marker,
    note_box,
    scale_bar,
    shade_fills,
)
from geopol.geo.worldshapes import COARSE, DETAILED, countries, country

# What a map shows when nothing was resolved: the inhabited world, Antarctica cropped.
WORLD: BBox = (-180.0, -56.0, 180.0, 78.0)
DETAIL_THRESHOLD = 12.0  # pixels per degree below which the world-scale shapes suffice
MARKER_KINDS = ("place", "capital", "approximate")
# Natural Earth draws these de facto entities apart from the ISO country they belong to.
CLAIMED_PARTS = {"CY": ("_n_cyprus",), "SO": ("_somaliland",)}


@dataclass(frozen=True)
class MapPoint:
    """A labelled marker. `kind` is "place", "capital" or "approximate" (a hollow ring,
    for places geocoded only roughly); higher `emphasis` means a larger, bold marker whose
    label is placed first."""

    label: str
    lat: float
    lon: float
    kind: str = "place"
    emphasis: int = 0
    href: str = ""  # where the marker and its label lead (a place page, a search)


@dataclass
class MapSpec:
    """What to draw. Country codes are ISO 3166-1 alpha-2 (see worldshapes.Country)."""

    points: list[MapPoint] = field(default_factory=list)
    primary: AbstractSet[str] = field(default_factory=frozenset)  # shaded; the map fits them
    secondary: AbstractSet[str] = field(default_factory=frozenset)  # shaded lightly
    layers: dict[str, Any] | None = None  # authored GeoJSON, see maplayers.py
    title: str = "Map"
    width: int = 720
    height: int | None = 440  # None: chosen from the shape of what is shown
    # Frame this box (west, south, east, north) instead of the content; across the
    # antimeridian west > east (RFC 7946) or east > 180.
    bbox: BBox | None = None
    note: str = ""  # shown on the map, e.g. "No places resolved for this analysis"
    fallback: AbstractSet[str] = frozenset()  # countries to frame when nothing else is given
    min_span: float = 5.0  # degrees; a lone town is shown with its surroundings
    # CSS pixels the map is shown at (None: its own width); text is sized so that it is
    # at least mapstyle.MIN_LABEL_PX there, and the label budget follows it.
    display_width: int | None = None
    country_links: Mapping[str, str] = field(default_factory=dict)  # code -> its page
    # code -> a count: a map of countries shaded by it (e.g. analyses), with classes
    shades: Mapping[str, int] = field(default_factory=dict)
    primary_legend: str = "Countries of this map"
    secondary_legend: str = "Also mentioned"
    # The legend in a strip under the map (phones: no room on it) instead of in the corner
    # of the map that hides the fewest markers and labels.
    legend_below: bool = False


def view_for(spec: MapSpec) -> View:
    """The view a spec is drawn in: the explicit bbox, else points + primary countries +
    layers, else the secondary countries, else the fallback countries, else the world."""
    box = spec.bbox or _content_bbox(spec) or WORLD
    if box[0] > box[2]:  # an RFC 7946 box across the antimeridian
        box = (box[0], box[1], box[2] + 360, box[3])
    height = spec.height or _auto_height(box, spec.width)
    return fit_view(box, spec.width, height, padding=0.1, min_span=spec.min_span)


def render_svg(spec: MapSpec, variant: str = "") -> str:
    """The map as a standalone `<svg>` element (UTF-8 text, no XML declaration).

    Drawn bottom to top: sea and countries, authored areas and lines, then labels and
    markers, then the legend in a strip under the map. What is placed first keeps its spot
    (the layout's placer), so the fixed furniture is placed before the layers, markers
    before any label, and the labels of places before those of countries, areas and seas.
    `variant` is added to the element's class ("geomap-wide", "geomap-narrow")."""
    features, _ = parse_layers(spec.layers)
    view = view_for(spec)
    ident = _ident(spec)
    layout = Layout(
        view,
        labels.Placer(view.width, view.height),
        floor=mapstyle.min_font(view.width, spec.display_width),
    )
    shown = spec.display_width or view.width
    primary, secondary = _shaded(spec)
    drawn = _drawn_countries(view)

    body = _country_shapes(drawn, primary, secondary, spec)
    body += _small_country_dots(view, drawn, primary, secondary)
    overlay = _furniture(spec, layout)
    body += layer_areas(ident, features, layout)
    body += layer_lines(features, layout)

    points = [p for p in _ordered(_valid(spec.points)) if _in_view(view, *view.point(p.lon, p.lat))]
    layer_points = _layer_points(features, view)
    markers = _markers(points, layer_points, layout)
    rows = mapstyle.legend_rows(_contents(spec, points, layer_points, features, drawn))
    size = layout.size(10.5)
    fills = shade_fills(len(_classes(spec)))
    below = spec.legend_below
    if not below:  # placed before the labels, which then keep clear of it
        overlay += legend_box(rows, features, fills, layout, size, ident)
    jobs = _label_jobs(points, layer_points, view)
    texts = _marker_labels(jobs, layout, mapstyle.label_budget(shown))
    area_texts = area_labels(layout)
    budget = mapstyle.label_budget(shown, mapstyle.PX_PER_COUNTRY_LABEL)
    country_labels = _country_labels(drawn, primary, secondary, layout, spec, budget)
    water_texts = sea_labels(drawn, layout)

    body += water_texts + country_labels + area_texts + markers
    body += _marker_texts(texts, overlay, view)
    rows_below = rows if below else []
    total_height = view.height + legend_height(rows_below, view.width, size)
    return "\n".join(
        [
            *_svg_open(spec, view, ident, features, total_height, variant),
            *body,
            *legend_strip(rows_below, features, fills, view.height, view.width, size, ident),
            "</svg>",
        ]
    )


def _marker_texts(texts: list[str], overlay: list[str], view: View) -> list[str]:
    """The places' labels in one haloed group, closing the clipped group; then the furniture
    and legend over everything, and the frame."""
    return [
        f'<g fill="{INK}" stroke="{HALO}" stroke-width="3" stroke-linejoin="round" '
        'paint-order="stroke">',
        *texts,
        "</g></g>",
        *overlay,
        f'<rect x="0.5" y="0.5" width="{view.width - 1}" height="{view.height - 1}" '
        'fill="none" stroke="#b9b4aa"/>',
    ]


def render_svgs(spec: MapSpec) -> str:
    """The map drawn twice, for wide screens and for phones (site.css shows one of them):
    the phone's is drawn NARROW_WIDTH units wide, so its text stays readable and it carries
    fewer labels (mapstyle)."""
    narrow = replace(
        spec,
        width=mapstyle.NARROW_WIDTH,
        height=_narrow_height(spec),
        display_width=mapstyle.NARROW_DISPLAY,
        legend_below=True,
    )
    return render_svg(spec, "geomap-wide") + "\n" + render_svg(narrow, "geomap-narrow")


def _narrow_height(spec: MapSpec) -> int | None:
    """A phone's map keeps the wide one's proportions, at least 0.6 as tall as wide (labels
    need room); its legend goes under it."""
    if spec.height is None:
        return None
    ratio = spec.height / spec.width
    return round(mapstyle.NARROW_WIDTH * min(1.0, max(ratio, 0.6)))


def _shaded(spec: MapSpec) -> tuple[set[str], set[str]]:
    """The primary and secondary countries; on a shaded map every shaded one is secondary
    (named like a mentioned country, filled by its class)."""
    if spec.shades:
        return set(), _with_claimed({c for c, n in _codes_counts(spec).items() if n > 0})
    primary = _with_claimed(_codes(spec.primary))
    return primary, _with_claimed(_codes(spec.secondary)) - primary


def _codes_counts(spec: MapSpec) -> dict[str, int]:
    return {(c if c.startswith("_") else c.upper()): n for c, n in spec.shades.items()}


def _classes(spec: MapSpec) -> list[tuple[int, int, str]]:
    return mapstyle.shade_classes(list(_codes_counts(spec).values()))


def _contents(
    spec: MapSpec,
    points: list[MapPoint],
    layer_points: list[tuple[LayerFeature, float, float]],
    features: list[LayerFeature],
    drawn: dict[str, list[list[XY]]],
) -> mapstyle.MapContents:
    """What this drawing shows, for its legend: only what is in view counts."""
    primary, secondary = _shaded(spec)
    shaded_in_view = {c for c in drawn if c in primary or c in secondary}
    return mapstyle.MapContents(
        marker_kinds=frozenset(_kind(p) for p in points),
        layer_legends=tuple((i, f.legend) for i, f in enumerate(features) if f.legend),
        primary=bool(shaded_in_view & primary),
        secondary=bool(shaded_in_view & secondary),
        primary_text=spec.primary_legend,
        secondary_text=spec.secondary_legend,
        shade_classes=tuple(text for _, _, text in _classes(spec)),
    )


def _svg_open(
    spec: MapSpec,
    view: View,
    ident: str,
    features: list[LayerFeature],
    total_height: float,
    variant: str,
) -> list[str]:
    """The opening of the `<svg>`: title and description, clip path and hatch patterns, the
    sea, and the opened group every drawn part goes into (closed by `render_svg`)."""
    width, height = view.width, view.height
    full = fmt(total_height)
    css = f"geomap {variant}".strip()
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {full}" '
        f'width="{width}" height="{full}" role="{_role(spec)}" class="{css}" '
        f'aria-labelledby="{ident}-t {ident}-d" font-family="{FONT}">',
        f'<title id="{ident}-t">{_esc(spec.title, 200)}</title>',
        f'<desc id="{ident}-d">{_esc(_description(spec, features), 2000)}</desc>',
        f'<defs><clipPath id="{ident}-f"><rect width="{width}" height="{height}"/></clipPath>',
        *hatch_patterns(ident, features),
        "</defs>",
        f'<rect width="{width}" height="{full}" fill="#ffffff"/>',
        f'<g clip-path="url(#{ident}-f)">',
        f'<rect width="{width}" height="{height}" fill="{SEA}"/>',
    ]


def _drawn_countries(view: View) -> dict[str, list[list[XY]]]:
    """The projected rings of every country in view, at the detail the scale needs."""
    detail = COARSE if view.scale < DETAIL_THRESHOLD else DETAILED
    drawn: dict[str, list[list[XY]]] = {}
    for code in _visible(view):
        rings = country_rings(code, detail, view)
        if rings:
            drawn[code] = rings
    return drawn


def _role(spec: MapSpec) -> str:
    """An image, unless it holds links: an "img" hides its children from assistive
    technology, so a map with links is a group named by its title."""
    return "group" if spec.country_links or any(p.href for p in spec.points) else "img"


def _country_shapes(
    drawn: dict[str, list[list[XY]]], primary: set[str], secondary: set[str], spec: MapSpec
) -> list[str]:
    """Plain land first, shaded countries on top so their outlines stay whole. A country
    with a page is a link to it; only the shaded ones are in the keyboard's tab order (a
    world map would otherwise make a reader tab through two hundred countries)."""
    groups = [
        ([c for c in drawn if c not in primary and c not in secondary], LAND, BORDER, 0.6),
    ]
    if spec.shades:
        counts = _codes_counts(spec)
        classes = _classes(spec)
        for (lo, hi, _), fill in zip(classes, shade_fills(len(classes)), strict=True):
            members = [c for c in drawn if c in secondary and lo <= counts.get(c, 0) <= hi]
            groups.append((members, fill, BORDER, 0.7))
    else:
        groups.append(([c for c in drawn if c in secondary], SECONDARY_FILL, BORDER, 0.7))
        groups.append(([c for c in drawn if c in primary], PRIMARY_FILL, ACCENT, 1.2))
    out: list[str] = []
    for group, fill, stroke, width_px in groups:
        if not group:
            continue
        out.append(
            f'<g fill="{fill}" stroke="{stroke}" stroke-width="{width_px}" '
            'stroke-linejoin="round" fill-rule="evenodd">'
        )
        for c in group:
            shape = path_data(drawn[c], tolerance=SIMPLIFY_PX)
            path = f'<path d="{shape}"><title>{_esc(_name(c))}</title></path>'
            out.append(
                _linked(
                    path,
                    spec.country_links.get(c, ""),
                    _name(c),
                    c in drawn and (c in primary or c in secondary),
                )
            )
        out.append("</g>")
    return out


def _linked(inner: str, href: str, name: str, focusable: bool = True) -> str:
    """`inner` inside a link to `href` named `name`; as it is when there is no `href`. A
    link out of the tab order is also hidden from assistive technology: another link (the
    marker's, the shape's) carries the same name and place."""
    if not href:
        return inner
    if focusable:
        return f'<a href="{escape(href)}" aria-label="{_esc(name)}">{inner}</a>'
    return f'<a href="{escape(href)}" tabindex="-1" aria-hidden="true">{inner}</a>'


def _small_country_dots(
    view: View, drawn: dict[str, list[list[XY]]], primary: set[str], secondary: set[str]
) -> list[str]:
    """A visible dot for each shaded country too small to see at this scale."""
    out: list[str] = []
    for code in sorted(primary | secondary):
        if code in drawn and _extent(drawn[code]) >= 4:
            continue
        shape = country(code)
        if shape and _in_view(view, *view.point(shape.label[0], shape.label[1])):
            x, y = view.point(shape.label[0], shape.label[1])
            fill, stroke = (PRIMARY_FILL, ACCENT) if code in primary else (SECONDARY_FILL, BORDER)
            out.append(
                f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="4" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="1.2"/>'
            )
    return out


def _furniture(spec: MapSpec, layout: Layout) -> list[str]:
    """The note, scale bar and attribution: placed first, so labels keep clear of them."""
    overlay: list[str] = []
    if spec.note:
        overlay += note_box(spec.note, layout)
    overlay += scale_bar(layout)
    overlay += attribution(layout)
    return overlay


def _layer_points(
    features: list[LayerFeature], view: View
) -> list[tuple[LayerFeature, float, float]]:
    """Each position of the authored point features that falls in view, projected."""
    found = []
    for f in features:
        if f.kind != "point":
            continue
        for part in f.geometry:
            for lon, lat in part[0]:
                x, y = view.point(lon, lat)
                if _in_view(view, x, y):
                    found.append((f, x, y))
    return found


def _markers(
    points: list[MapPoint],
    layer_points: list[tuple[LayerFeature, float, float]],
    layout: Layout,
) -> list[str]:
    """Markers for places (emphasised ones drawn last, on top) and authored points; each
    blocks its own spot before any label is placed."""
    view = layout.view
    out: list[str] = []
    for p in sorted(points, key=lambda p: p.emphasis):
        x, y = view.point(p.lon, p.lat)
        drawn = marker(x, y, _kind(p), p.emphasis, layout)
        out.append(_linked(drawn, p.href, clean_text(p.label, 60)))
    for f, x, y in layer_points:
        out.append(marker(x, y, "layer", 0, layout, colour=f.fill))
    return out


def _label_jobs(
    points: list[MapPoint], layer_points: list[tuple[LayerFeature, float, float]], view: View
) -> list[_LabelJob]:
    jobs = [_LabelJob(p.label, *view.point(p.lon, p.lat), p.emphasis, p.href) for p in points]
    jobs += [_LabelJob(f.label, x, y, -1) for f, x, y in layer_points if f.label]
    return jobs


def geojson(spec: MapSpec) -> dict[str, Any]:
    """The spec's points and valid layer features as a GeoJSON FeatureCollection, with the
    SVG's view as `bbox` so an interactive map can open on the same frame.

    The bbox follows RFC 7946: across the antimeridian west is greater than east (add 360
    to east before handing it to Leaflet). "primary" and "secondary" list the shaded
    countries' codes."""
    features, _ = parse_layers(spec.layers)
    out: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "role": "place",
                "label": p.label,
                "kind": _kind(p),
                "emphasis": p.emphasis,
                **({"href": p.href} if p.href else {}),
            },
        }
        for p in spec.points
    ]
    for f in features:
        out.append(feature_geojson(f))
    return {
        "type": "FeatureCollection",
        "bbox": _rfc7946_bbox(view_for(spec)),
        "primary": sorted(_codes(spec.primary)),
        "secondary": sorted(_codes(spec.secondary) - _codes(spec.primary)),
        # where each country leads, for the interactive map's click-through
        "links": dict(sorted(spec.country_links.items())),
        "features": out,
    }


def _rfc7946_bbox(view: View) -> list[float]:
    west, south, east, north = view.bbox()
    if east - west >= 360:
        return [-180.0, south, 180.0, north]
    west = (west + 180) % 360 - 180
    east = 180 - (180 - east) % 360
    return [round(west, 4), south, round(east, 4), north]


# -- fitting ---------------------------------------------------------------------------


def _content_bbox(spec: MapSpec) -> BBox | None:
    boxes: list[BBox] = [(p.lon, p.lat, p.lon, p.lat) for p in _valid(spec.points)]
    boxes += _focus(spec.primary)
    layer_box = layers_bbox(parse_layers(spec.layers)[0])
    if layer_box:
        boxes.append(layer_box)
    return union(boxes) or union(_focus(spec.secondary)) or union(_focus(spec.fallback))


def _valid(points: list[MapPoint]) -> list[MapPoint]:
    """Points with usable coordinates; a NaN from a bad geocode must not sink the map."""
    return [
        p for p in points if math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90
    ]


def _focus(codes: AbstractSet[str]) -> list[BBox]:
    return [shape.focus for c in sorted(_codes(codes)) if (shape := country(c))]


def _auto_height(box: BBox, width: int) -> int:
    span_x = max(box[2] - box[0], 1.0)
    span_y = max(mercator_y(box[3]) - mercator_y(box[1]), 1.0)
    return round(width * min(0.9, max(0.5, span_y / span_x)))


def _visible(view: View) -> list[str]:
    west, south, east, north = view.bbox()
    found = []
    for code, shape in sorted(countries().items()):
        w, s, e, n = shape.bbox
        if s > north or n < south:
            continue
        if any(w + k <= east and e + k >= west for k in (-360.0, 0.0, 360.0)):
            found.append(code)
    return found


def _in_view(view: View, x: float, y: float) -> bool:
    return 0 <= x <= view.width and 0 <= y <= view.height


# -- countries -------------------------------------------------------------------------


def _codes(codes: AbstractSet[str]) -> set[str]:
    return {c if c.startswith("_") else c.upper() for c in codes}


def _with_claimed(codes: set[str]) -> set[str]:
    """Shading a country shades the de facto entity inside its recognised borders too."""
    return codes | {part for c in codes for part in CLAIMED_PARTS.get(c, ())}


def _name(code: str) -> str:
    shape = country(code)
    return shape.name if shape else code


def _extent(rings: list[list[XY]]) -> float:
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _country_labels(
    drawn: dict[str, list[list[XY]]],
    primary: set[str],
    secondary: set[str],
    layout: Layout,
    spec: MapSpec,
    budget: int,
) -> list[str]:
    """Country names, shaded countries first, then at most `budget` neighbours large enough
    to hold them. A name is a link to the country's page, as its shape is."""
    shaded = sorted(c for c in drawn if c in primary or c in secondary)
    rest = sorted(
        (c for c in drawn if c not in primary and c not in secondary),
        key=lambda c: (-_extent(drawn[c]), c),
    )
    out = []
    neighbours = 0
    for code in [
        *sorted(c for c in shaded if c in primary),
        *(c for c in shaded if c not in primary),
        *rest,
    ]:
        if code.startswith("_"):
            continue  # not a country in ISO 3166 (N. Cyprus, Somaliland): outline only
        if code in rest and neighbours >= budget:
            break
        text = _country_label(code, drawn[code], code in primary, code in rest, layout)
        if text is None:
            continue
        neighbours += code in rest
        out.append(_linked(text, spec.country_links.get(code, ""), _name(code), False))
    return out


def _country_label(
    code: str, rings: list[list[XY]], is_primary: bool, is_plain: bool, layout: Layout
) -> str | None:
    """The name of one country where it fits, or None."""
    shape = country(code)
    if shape is None:
        return None
    size = layout.size(11.5 if is_primary else 9.0)
    spacing = 1.6 if is_primary else 1.1
    text = shape.name.upper()
    tw = labels.text_width(text, size, bold=is_primary, spacing=spacing)
    anchor = label_anchor(shape.label, rings, layout.view, (tw, size))
    if anchor is None and not is_plain:
        # A shaded country too small for its name still gets it, smaller.
        size, spacing = layout.size(size - 2), 0.6
        tw = labels.text_width(text, size, bold=is_primary, spacing=spacing)
        anchor = label_anchor(shape.label, rings, layout.view, None)
    if anchor is None:
        return None
    x, y = anchor
    steps = [(0, 0), (0, -14), (0, 14), (-24, 0), (24, 0), (0, -28), (0, 28)]
    spot = layout.placer.place(labels.centred_candidates(x, y, tw, size * 1.2, steps))
    if spot is None:
        return None
    box, _ = spot
    colour = "#6e1a1a" if is_primary else ("#4a4741" if not is_plain else "#6f6a61")
    weight = ' font-weight="bold"' if is_primary else ""
    return (
        f'<text x="{fmt((box[0] + box[2]) / 2)}" y="{fmt(labels.baseline(box, size))}" '
        f'text-anchor="middle" font-size="{fmt(size)}" letter-spacing="{fmt(spacing)}" '
        f'fill="{colour}"{weight}>{_esc(text, 60)}</text>'
    )


# -- markers and labels ----------------------------------------------------------------


def _ordered(points: list[MapPoint]) -> list[MapPoint]:
    # Emphasis first, then the caller's order; a stable sort keeps output deterministic.
    return sorted(points, key=lambda p: -p.emphasis)


def _kind(point: MapPoint) -> str:
    return point.kind if point.kind in MARKER_KINDS else "place"


@dataclass(frozen=True)
class _LabelJob:
    text: str
    x: float
    y: float
    emphasis: int  # -1 for authored layer points, placed after every place
    href: str = ""


def _marker_labels(jobs: list[_LabelJob], layout: Layout, budget: int) -> list[str]:
    """Labels beside markers, at most `budget` of them. The most emphasised go first; among
    equals, the ones with the fewest free spots, so a crowded marker is not boxed in by its
    neighbours' labels. A marker left without its name still has it in the description."""
    prepared = []
    for index, job in enumerate(jobs):
        text = clean_text(job.text, 60)
        if not text:
            continue
        size = layout.size(12.0 if job.emphasis > 0 else (10.5 if job.emphasis < 0 else 11.0))
        tw = labels.text_width(text, size, bold=job.emphasis > 0)
        candidates = labels.around_marker(job.x, job.y, 4.5, tw, size)
        free = sum(layout.placer.fits(box) for box, _ in candidates)
        prepared.append(((-job.emphasis, free, index), text, size, job, candidates))
    prepared.sort(key=lambda item: item[0])
    prepared = prepared[:budget]
    spots = labels.place_in_order(layout.placer, [item[4] for item in prepared])
    out = []
    for (_, text, size, job, _), spot in zip(prepared, spots, strict=True):
        if spot is None:
            continue  # no room: the marker stays and the name is in the description
        box, anchor = spot
        weight = ' font-weight="bold"' if job.emphasis > 0 else ""
        drawn = (
            f'<text x="{fmt(labels.anchor_x(box, anchor))}" '
            f'y="{fmt(labels.baseline(box, size))}" text-anchor="{anchor}" '
            f'font-size="{fmt(size)}"{weight}>{escape(text)}</text>'
        )
        out.append(_linked(drawn, job.href, text, focusable=False))
    return out


# -- text ------------------------------------------------------------------------------


def _esc(text: str, limit: int = 120) -> str:
    return escape(clean_text(text, limit))


def _description(spec: MapSpec, features: list[LayerFeature]) -> str:
    parts = []
    if spec.note:
        parts.append(spec.note.rstrip(".") + ".")
    if spec.points:
        parts.append("Places: " + ", ".join(clean_text(p.label, 60) for p in spec.points) + ".")
    primary = _codes(spec.primary)
    if primary:
        parts.append("Shaded: " + ", ".join(_name(c) for c in sorted(primary)) + ".")
    secondary = _codes(spec.secondary) - primary
    if secondary:
        parts.append("Also shaded: " + ", ".join(_name(c) for c in sorted(secondary)) + ".")
    legend_texts = sorted({f.legend for f in features if f.legend})
    if legend_texts:
        parts.append("Layers: " + ", ".join(legend_texts) + ".")
    return " ".join(parts) or spec.title


def _ident(spec: MapSpec) -> str:
    """An id prefix unique to this map, so several inline SVGs can share a page."""
    canonical = json.dumps(
        [
            [[p.label, p.lat, p.lon, p.kind, p.emphasis, p.href] for p in spec.points],
            sorted(_codes(spec.primary)),
            sorted(_codes(spec.secondary)),
            spec.layers,
            spec.title,
            spec.width,
            spec.height,
            spec.bbox,
            spec.note,
            sorted(spec.fallback),
            spec.min_span,
            spec.display_width,
            sorted(spec.country_links.items()),
            sorted(spec.shades.items()),
            spec.primary_legend,
            spec.secondary_legend,
            spec.legend_below,
        ],
        sort_keys=True,
        default=str,
    )
    return "gm" + hashlib.blake2s(canonical.encode(), digest_size=5).hexdigest()


def world_geojson(scale: str = COARSE) -> dict[str, Any]:
    """Every country's outline as GeoJSON (lon/lat, rounded to 0.01 degree): the basemap an
    interactive map draws instead of tiles from a tile server."""
    from geopol.geo.projection import latitude
    from geopol.geo.worldshapes import parts

    features = []
    for code, entry in sorted(countries().items()):
        polygons = [
            [[[round(x, 2), round(latitude(y), 2)] for x, y in ring] for ring in part.rings]
            for part in parts(code, scale)
        ]
        if polygons:
            features.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {"code": code, "name": entry.name},
                    "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                }
            )
    return {"type": "FeatureCollection", "features": features}
