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
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from html import escape
from typing import Any

from geopol.geo import maplabels as labels
from geopol.geo.maplayers import LayerFeature, layers_bbox, parse_layers
from geopol.geo.projection import XY, BBox, View, clip_line, clip_ring, fit_view, thin, union
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
    Layout,
    arrowhead,
    country_rings,
    fmt,
    label_anchor,
    legend,
    marker,
    scale_bar,
)
from geopol.geo.worldshapes import COARSE, DETAILED, countries, country

# What a map shows when nothing was resolved: the inhabited world, Antarctica cropped.
WORLD: BBox = (-180.0, -56.0, 180.0, 78.0)
DETAIL_THRESHOLD = 12.0  # pixels per degree below which the world-scale shapes suffice
MARKER_KINDS = ("place", "capital", "approximate")


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
    bbox: BBox | None = None  # force the view (west, south, east, north)
    note: str = ""  # shown on the map, e.g. "No places resolved for this analysis"
    fallback: AbstractSet[str] = frozenset()  # countries to frame when nothing else is given
    min_span: float = 5.0  # degrees; a lone town is shown with its surroundings


def view_for(spec: MapSpec) -> View:
    """The view a spec is drawn in: the explicit bbox, else points + primary countries +
    layers, else the secondary countries, else the fallback countries, else the world."""
    box = spec.bbox or _content_bbox(spec) or WORLD
    height = spec.height or _auto_height(box, spec.width)
    return fit_view(box, spec.width, height, padding=0.1, min_span=spec.min_span)


def render_svg(spec: MapSpec) -> str:
    """The map as a standalone `<svg>` element (UTF-8 text, no XML declaration)."""
    features, _ = parse_layers(spec.layers)
    view = view_for(spec)
    ident = _ident(spec)
    width, height = view.width, view.height
    layout = Layout(view, labels.Placer(width, height))
    detail = COARSE if view.scale < DETAIL_THRESHOLD else DETAILED
    primary, secondary = _codes(spec.primary), _codes(spec.secondary) - _codes(spec.primary)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="geomap" '
        f'aria-labelledby="{ident}-t {ident}-d" font-family="{FONT}">',
        f'<title id="{ident}-t">{_esc(spec.title, 200)}</title>',
        f'<desc id="{ident}-d">{_esc(_description(spec, features), 2000)}</desc>',
        f'<defs><clipPath id="{ident}-f"><rect width="{width}" height="{height}"/></clipPath>',
        *_patterns(ident, features),
        "</defs>",
        f'<g clip-path="url(#{ident}-f)">',
        f'<rect width="{width}" height="{height}" fill="{SEA}"/>',
    ]

    # Countries: plain land first, shaded ones on top so their outlines stay whole.
    drawn: dict[str, list[list[XY]]] = {}
    for code in _visible(view):
        rings = country_rings(code, detail, view)
        if rings:
            drawn[code] = rings
    for group, fill, stroke, width_px in (
        ([c for c in drawn if c not in primary and c not in secondary], LAND, BORDER, 0.6),
        ([c for c in drawn if c in secondary], SECONDARY_FILL, BORDER, 0.7),
        ([c for c in drawn if c in primary], PRIMARY_FILL, ACCENT, 1.2),
    ):
        if not group:
            continue
        out.append(
            f'<g fill="{fill}" stroke="{stroke}" stroke-width="{width_px}" '
            'stroke-linejoin="round" fill-rule="evenodd">'
        )
        out += [
            f'<path d="{_path(drawn[c])}"><title>{_esc(_name(c))}</title></path>' for c in group
        ]
        out.append("</g>")
    # Shaded countries too small to see at this scale still get a visible dot.
    for code in sorted(primary | secondary):
        if code in drawn and _extent(drawn[code]) >= 4:
            continue
        shape = country(code)
        if shape and _in_view(view, *view.point(shape.label[0], shape.label[1])):
            x, y = view.point(shape.label[0], shape.label[1])
            colour = ACCENT if code in primary else BORDER
            out.append(
                f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="4" fill="{PRIMARY_FILL}" '
                f'stroke="{colour}" stroke-width="1.2"/>'
            )

    # Fixed furniture first, so labels keep clear of it.
    overlay: list[str] = []
    if spec.note:
        overlay += _note(spec.note, layout)
    overlay += scale_bar(layout)
    overlay += _attribution(layout)

    # Authored layers.
    out += _layer_areas(ident, features, layout)
    out += _layer_lines(features, layout)

    # Markers block their own spot before any label is placed.
    points = [p for p in _ordered(spec.points) if _in_view(view, *view.point(p.lon, p.lat))]
    layer_points = [
        (f, pos) for f in features if f.kind == "point" for part in f.geometry for pos in part[0]
    ]
    markers: list[str] = []
    for p in points:
        x, y = view.point(p.lon, p.lat)
        markers.append(marker(x, y, _kind(p), p.emphasis, layout))
    for f, (lon, lat) in layer_points:
        x, y = view.point(lon, lat)
        if _in_view(view, x, y):
            markers.append(marker(x, y, "layer", 0, layout, colour=f.fill))

    overlay += legend(features, bool(spec.points), layout, ident)

    texts: list[str] = []
    for p in points:
        x, y = view.point(p.lon, p.lat)
        size = 12.0 if p.emphasis > 0 else 11.0
        texts += _marker_label(p.label, x, y, size, p.emphasis > 0, layout)
    for f, (lon, lat) in layer_points:
        x, y = view.point(lon, lat)
        if f.label and _in_view(view, x, y):
            texts += _marker_label(f.label, x, y, 10.5, False, layout)
    area_labels = _area_labels(features, layout)
    country_labels = _country_labels(drawn, primary, secondary, layout)

    out += country_labels + area_labels + markers
    out.append(
        f'<g fill="{INK}" stroke="{HALO}" stroke-width="3" stroke-linejoin="round" '
        'paint-order="stroke">'
    )
    out += texts
    out.append("</g></g>")
    out += overlay
    out.append(
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none" '
        'stroke="#b9b4aa"/></svg>'
    )
    return "\n".join(out)


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
            },
        }
        for p in spec.points
    ]
    for f in features:
        out.append({"type": "Feature", "geometry": _geometry(f), "properties": _properties(f)})
    return {
        "type": "FeatureCollection",
        "bbox": _rfc7946_bbox(view_for(spec)),
        "primary": sorted(_codes(spec.primary)),
        "secondary": sorted(_codes(spec.secondary) - _codes(spec.primary)),
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
    boxes: list[BBox] = [(p.lon, p.lat, p.lon, p.lat) for p in spec.points]
    boxes += _focus(spec.primary)
    layer_box = layers_bbox(parse_layers(spec.layers)[0])
    if layer_box:
        boxes.append(layer_box)
    return union(boxes) or union(_focus(spec.secondary)) or union(_focus(spec.fallback))


def _focus(codes: AbstractSet[str]) -> list[BBox]:
    return [shape.focus for c in sorted(_codes(codes)) if (shape := country(c))]


def _auto_height(box: BBox, width: int) -> int:
    from geopol.geo.projection import mercator_y

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


def _name(code: str) -> str:
    shape = country(code)
    return shape.name if shape else code


def _path(rings: list[list[XY]]) -> str:
    return "".join("M" + " ".join(f"{x:.1f} {y:.1f}" for x, y in r) + "Z" for r in rings)


def _extent(rings: list[list[XY]]) -> float:
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _country_labels(
    drawn: dict[str, list[list[XY]]], primary: set[str], secondary: set[str], layout: Layout
) -> list[str]:
    """Country names, shaded countries first, then neighbours large enough to hold them."""
    shaded = sorted(c for c in drawn if c in primary or c in secondary)
    rest = sorted(
        (c for c in drawn if c not in primary and c not in secondary),
        key=lambda c: (-_extent(drawn[c]), c),
    )
    out = []
    for code in [
        *sorted(c for c in shaded if c in primary),
        *(c for c in shaded if c not in primary),
        *rest,
    ]:
        shape = country(code)
        if shape is None:
            continue
        is_primary = code in primary
        size = 11.5 if is_primary else 9.0
        spacing = 1.6 if is_primary else 1.1
        text = shape.name.upper()
        tw = labels.text_width(text, size, bold=is_primary, spacing=spacing)
        need = (tw, size) if code in rest else None
        anchor = label_anchor(shape.label, drawn[code], layout.view, need)
        if anchor is None:
            continue
        x, y = anchor
        steps = [(0, 0), (0, -14), (0, 14), (-24, 0), (24, 0), (0, -28), (0, 28)]
        spot = layout.placer.place(labels.centred_candidates(x, y, tw, size * 1.2, steps))
        if spot is None:
            continue
        box, _ = spot
        colour = "#6e1a1a" if is_primary else ("#6f6a61" if code in secondary else "#8e897f")
        weight = ' font-weight="bold"' if is_primary else ""
        out.append(
            f'<text x="{fmt((box[0] + box[2]) / 2)}" y="{fmt(labels.baseline(box, size))}" '
            f'text-anchor="middle" font-size="{size}" letter-spacing="{spacing}" '
            f'fill="{colour}"{weight}>{_esc(text, 60)}</text>'
        )
    return out


# -- markers and labels ----------------------------------------------------------------


def _ordered(points: list[MapPoint]) -> list[MapPoint]:
    # Emphasis first, then the caller's order; a stable sort keeps output deterministic.
    return sorted(points, key=lambda p: -p.emphasis)


def _kind(point: MapPoint) -> str:
    return point.kind if point.kind in MARKER_KINDS else "place"


def _marker_label(
    text: str, x: float, y: float, size: float, bold: bool, layout: Layout
) -> list[str]:
    clean = _clean(text, 60)
    if not clean:
        return []
    tw = labels.text_width(clean, size, bold=bold)
    spot = layout.placer.place(labels.around_marker(x, y, 4.5, tw, size))
    if spot is None:
        return []  # no room: the marker stays and the name is in the description
    box, anchor = spot
    weight = ' font-weight="bold"' if bold else ""
    return [
        f'<text x="{fmt(labels.anchor_x(box, anchor))}" y="{fmt(labels.baseline(box, size))}" '
        f'text-anchor="{anchor}" font-size="{size}"{weight}>{escape(clean)}</text>'
    ]


# -- authored layers -------------------------------------------------------------------


def _patterns(ident: str, features: list[LayerFeature]) -> list[str]:
    out = []
    for i, f in enumerate(features):
        if f.kind == "area" and f.hatch:
            out.append(
                f'<pattern id="{ident}-h{i}" patternUnits="userSpaceOnUse" width="6" '
                f'height="6" patternTransform="rotate(45)"><rect width="6" height="6" '
                f'fill="{f.fill}" fill-opacity="{fmt(f.fill_opacity * 0.5, 2)}"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="{f.fill}" stroke-width="2"/>'
                "</pattern>"
            )
    return out


def _project(view: View, positions: tuple[XY, ...]) -> list[XY]:
    return [view.point(lon, lat) for lon, lat in positions]


def _layer_areas(ident: str, features: list[LayerFeature], layout: Layout) -> list[str]:
    view, out = layout.view, []
    for i, f in enumerate(features):
        if f.kind != "area":
            continue
        rings = []
        for polygon in f.geometry:
            for ring in polygon:
                clipped = clip_ring(_project(view, ring), -4, -4, view.width + 4, view.height + 4)
                if len(clipped) >= 3:
                    rings.append(clipped)
        if not rings:
            continue
        layout.areas.append((f, rings))
        fill = f"url(#{ident}-h{i})" if f.hatch else f.fill
        opacity = "" if f.hatch else f' fill-opacity="{fmt(f.fill_opacity, 2)}"'
        out.append(
            f'<path d="{_path(rings)}" fill="{fill}"{opacity} fill-rule="evenodd" '
            f'stroke="{f.stroke}" stroke-width="{fmt(f.stroke_width)}" stroke-linejoin="round"/>'
        )
    return out


def _layer_lines(features: list[LayerFeature], layout: Layout) -> list[str]:
    view, out = layout.view, []
    margin = 30.0
    for f in features:
        if f.kind != "line":
            continue
        dash = (
            f' stroke-dasharray="{fmt(f.stroke_width * 3)} {fmt(f.stroke_width * 1.8)}"'
            if f.dashed
            else ""
        )
        for (line,) in f.geometry:
            projected = thin(_project(view, line), 0.5)
            if len(projected) < 2:
                continue
            head: list[str] = []
            if f.arrow:
                projected, head = arrowhead(projected, f.stroke, f.stroke_width)
            pieces = clip_line(
                projected, -margin, -margin, view.width + margin, view.height + margin
            )
            out += [
                f'<path d="{_path_open(piece)}" fill="none" stroke="{f.stroke}" '
                f'stroke-width="{fmt(f.stroke_width)}" stroke-linecap="round" '
                f'stroke-linejoin="round"{dash}/>'
                for piece in pieces
            ]
            out += head
    return out


def _path_open(line: list[XY]) -> str:
    return "M" + " ".join(f"{x:.1f} {y:.1f}" for x, y in line)


def _area_labels(features: list[LayerFeature], layout: Layout) -> list[str]:
    from geopol.geo.projection import contains, ring_centroid

    out = []
    for f, rings in layout.areas:
        if not f.label:
            continue
        (x, y), _ = max((ring_centroid(r) for r in rings), key=lambda c: c[1])
        if not any(contains(r, x, y) for r in rings):
            continue
        size = 10.5
        text = _clean(f.label, 60)
        tw = labels.text_width(text, size)
        steps = [(0, 0), (0, -14), (0, 14), (-20, 0), (20, 0)]
        spot = layout.placer.place(labels.centred_candidates(x, y, tw, size * 1.2, steps))
        if spot is None:
            continue
        box, _ = spot
        out.append(
            f'<text x="{fmt((box[0] + box[2]) / 2)}" y="{fmt(labels.baseline(box, size))}" '
            f'text-anchor="middle" font-size="{size}" font-style="italic" fill="{f.stroke}" '
            f'stroke="{HALO}" stroke-width="2.5" stroke-opacity="0.85" stroke-linejoin="round" '
            f'paint-order="stroke">{escape(text)}</text>'
        )
    return out


def _geometry(f: LayerFeature) -> dict[str, Any]:
    if f.kind == "area":
        coords: Any = [[[list(p) for p in ring] for ring in poly] for poly in f.geometry]
        return {"type": "MultiPolygon", "coordinates": coords}
    if f.kind == "line":
        return {
            "type": "MultiLineString",
            "coordinates": [[list(p) for p in line] for (line,) in f.geometry],
        }
    return {"type": "MultiPoint", "coordinates": [list(part[0][0]) for part in f.geometry]}


def _properties(f: LayerFeature) -> dict[str, Any]:
    style = "front" if f.dashed else ("hatch" if f.hatch else "")
    return {
        "role": "layer",
        "label": f.label,
        "legend": f.legend,
        "stroke": f.stroke,
        "fill": f.fill,
        "fill-opacity": f.fill_opacity,
        "stroke-width": f.stroke_width,
        "style": style,
        "arrow": f.arrow,
    }


# -- furniture -------------------------------------------------------------------------


def _note(note: str, layout: Layout) -> list[str]:
    text = _clean(note, 120)
    size = 12.0
    tw = labels.text_width(text, size)
    x0 = (layout.view.width - tw) / 2 - 10
    box = (x0, 10.0, x0 + tw + 20, 34.0)
    layout.placer.block(box)
    return [
        f'<g class="geomap-note"><rect x="{fmt(box[0])}" y="{fmt(box[1])}" '
        f'width="{fmt(box[2] - box[0])}" height="24" rx="3" fill="#ffffff" fill-opacity="0.92" '
        f'stroke="#c9c4ba"/><text x="{fmt(layout.view.width / 2)}" y="26.2" '
        f'text-anchor="middle" font-size="{size}" fill="{INK}">{escape(text)}</text></g>'
    ]


def _attribution(layout: Layout) -> list[str]:
    w, h = layout.view.width, layout.view.height
    layout.placer.block((w - 64.0, h - 14.0, float(w), float(h)))
    return [
        f'<text x="{w - 5}" y="{h - 5}" text-anchor="end" font-size="8" fill="#7d786f" '
        f'stroke="{HALO}" stroke-width="2" stroke-opacity="0.8" paint-order="stroke">'
        "Natural Earth</text>"
    ]


# -- text ------------------------------------------------------------------------------

# Characters XML 1.0 forbids; a label carrying one would make the whole SVG unparsable.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str, limit: int) -> str:
    text = " ".join(_INVALID_XML.sub("", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _esc(text: str, limit: int = 120) -> str:
    return escape(_clean(text, limit))


def _description(spec: MapSpec, features: list[LayerFeature]) -> str:
    parts = []
    if spec.note:
        parts.append(spec.note.rstrip(".") + ".")
    if spec.points:
        parts.append("Places: " + ", ".join(_clean(p.label, 60) for p in spec.points) + ".")
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
            [[p.label, p.lat, p.lon, p.kind, p.emphasis] for p in spec.points],
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
        ],
        sort_keys=True,
        default=str,
    )
    return "gm" + hashlib.blake2s(canonical.encode(), digest_size=5).hexdigest()
