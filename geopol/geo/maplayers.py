"""Authored map layers: the GeoJSON an editor attaches to a map figure.

A layer file is a GeoJSON FeatureCollection. Geometry types: Polygon and MultiPolygon
(areas of control), LineString and MultiLineString (front lines, routes, arrows), Point and
MultiPoint (sites). Properties follow the simplestyle convention that geojson.io writes,
plus a few of Geopol's own:

    label          text written on the map (also: title, name)
    legend         text for the legend; features sharing one legend text share one entry
                   (without it, `name` is used; without either, no legend entry)
    fill, stroke   colours: #rgb, #rrggbb or a CSS colour name (also: marker-color, color)
    fill-opacity   0..1 (areas; default 0.3)
    stroke-width   0.5..8 pixels
    style          "front" draws a dashed front line; "hatch" fills an area with hatching
    arrow          true puts an arrowhead at the end of a line

`parse_layers` never raises: it returns the usable features and, for the others, error
messages that name the feature and say what to fix (`validate_layers` returns just those).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LonLat = tuple[float, float]

AREA_COLOURS = ("#b5651d", "#3f6e8c", "#6b7d2e", "#7a4f8c", "#8c6d1f")
LINE_COLOUR = "#3d3d3d"
FRONT_COLOUR = "#8a1c1c"
POINT_COLOUR = "#1f3b57"

_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")


@dataclass(frozen=True)
class LayerFeature:
    kind: str  # "area", "line" or "point"
    # area: polygons as lists of rings; line: polylines; point: one-position lists
    geometry: tuple[tuple[tuple[LonLat, ...], ...], ...]
    label: str
    legend: str
    stroke: str
    fill: str
    fill_opacity: float
    stroke_width: float
    dashed: bool
    hatch: bool
    arrow: bool


def validate_layers(layers: Any) -> list[str]:
    """Problems with an editor's layer file, each naming the feature; empty when valid."""
    return parse_layers(layers)[1]


def parse_layers(layers: Any) -> tuple[list[LayerFeature], list[str]]:
    """The usable features of an editor's layer file, and an error for each of the others."""
    if layers is None:
        return [], []
    if not isinstance(layers, Mapping) or layers.get("type") != "FeatureCollection":
        return [], ['layers: expected a GeoJSON object with "type": "FeatureCollection"']
    raw_features = layers.get("features")
    if not isinstance(raw_features, list):
        return [], ['layers: "features" must be a list of GeoJSON Feature objects']
    features: list[LayerFeature] = []
    errors: list[str] = []
    areas = 0  # areas so far, which pick the next default colour
    for index, raw in enumerate(raw_features, start=1):
        try:
            feature = _read_feature(raw, index, areas)
        except ValueError as error:
            errors.append(str(error))
            continue
        features.append(feature)
        areas += feature.kind == "area"
    return features, errors


def _read_feature(raw: Any, index: int, areas: int) -> LayerFeature:
    """One GeoJSON Feature; ValueError names it (by number, and by name when it has one)."""
    where = f"feature {index}"
    if not isinstance(raw, Mapping) or raw.get("type") != "Feature":
        raise ValueError(f'{where}: expected an object with "type": "Feature"')
    props = raw.get("properties") or {}
    if not isinstance(props, Mapping):
        raise ValueError(f'{where}: "properties" must be an object')
    name = _text(props.get("name"))
    if name:
        where = f"feature {index} ({name!r})"
    geometry = raw.get("geometry")
    if not isinstance(geometry, Mapping):
        raise ValueError(f'{where}: "geometry" is missing; draw a polygon, line or point')
    try:
        kind, shapes = _geometry(geometry)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    return _styled_feature(kind, shapes, props, name, areas)


def _styled_feature(
    kind: str,
    shapes: tuple[tuple[tuple[LonLat, ...], ...], ...],
    props: Mapping[str, Any],
    name: str,
    areas: int,
) -> LayerFeature:
    """The feature with its simplestyle properties read, defaults for the rest."""
    style = _text(props.get("style")).lower()
    default = _default_colour(kind, style, areas)
    first = ("fill", "stroke") if kind == "area" else ("stroke", "fill")
    colour_keys = (*first, "marker-color", "color")
    colour = next((c for key in colour_keys if (c := _colour(props.get(key)))), default)
    return LayerFeature(
        kind=kind,
        geometry=shapes,
        label=_text(props.get("label") or props.get("title") or name),
        legend=_text(props.get("legend") or name),
        stroke=_colour(props.get("stroke")) or colour,
        fill=_colour(props.get("fill")) or colour,
        fill_opacity=_number(props.get("fill-opacity"), 0.3, 0.0, 1.0),
        stroke_width=_number(props.get("stroke-width"), 2.0 if kind == "line" else 1.0, 0.5, 8.0),
        dashed=style in {"front", "dashed"},
        hatch=style == "hatch",
        arrow=kind == "line" and props.get("arrow") in (True, "true", "yes", 1),
    )


def _default_colour(kind: str, style: str, areas: int) -> str:
    """Areas take the palette in turn; front lines are red, other lines and points dark."""
    if kind == "area":
        return AREA_COLOURS[areas % len(AREA_COLOURS)]
    if kind == "point":
        return POINT_COLOUR
    return FRONT_COLOUR if style == "front" else LINE_COLOUR


def layers_bbox(features: list[LayerFeature]) -> tuple[float, float, float, float] | None:
    positions = [p for f in features for part in f.geometry for ring in part for p in ring]
    if not positions:
        return None
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lons), min(lats), max(lons), max(lats)


def feature_geojson(f: LayerFeature) -> dict[str, Any]:
    """A parsed feature back as GeoJSON, with its resolved (validated) style."""
    return {
        "type": "Feature",
        "geometry": _feature_geometry(f),
        "properties": _feature_properties(f),
    }


def _feature_geometry(f: LayerFeature) -> dict[str, Any]:
    if f.kind == "area":
        coords: Any = [[[list(p) for p in ring] for ring in poly] for poly in f.geometry]
        return {"type": "MultiPolygon", "coordinates": coords}
    if f.kind == "line":
        return {
            "type": "MultiLineString",
            "coordinates": [[list(p) for p in line] for (line,) in f.geometry],
        }
    return {"type": "MultiPoint", "coordinates": [list(part[0][0]) for part in f.geometry]}


def _feature_properties(f: LayerFeature) -> dict[str, Any]:
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


def _geometry(
    geometry: Mapping[str, Any],
) -> tuple[str, tuple[tuple[tuple[LonLat, ...], ...], ...]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        return "area", (_polygon(coords),)
    if kind == "MultiPolygon":
        return "area", tuple(_polygon(p) for p in _list(coords, "polygons"))
    if kind == "LineString":
        return "line", ((_line(coords),),)
    if kind == "MultiLineString":
        return "line", tuple((_line(line),) for line in _list(coords, "lines"))
    if kind == "Point":
        return "point", (((_position(coords),),),)
    if kind == "MultiPoint":
        return "point", tuple(((_position(p),),) for p in _list(coords, "points"))
    raise ValueError(
        f"geometry type {kind!r} is not drawn; use Polygon, MultiPolygon, LineString, "
        "MultiLineString, Point or MultiPoint"
    )


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ValueError(f'"coordinates" must be a non-empty list of {what}')
    return value


def _polygon(value: Any) -> tuple[tuple[LonLat, ...], ...]:
    rings = tuple(
        tuple(_position(p) for p in _list(ring, "positions")) for ring in _list(value, "rings")
    )
    if any(len(ring) < 4 for ring in rings):
        raise ValueError(
            "a polygon ring needs at least four positions (the last repeats the first)"
        )
    return rings


def _line(value: Any) -> tuple[LonLat, ...]:
    line = tuple(_position(p) for p in _list(value, "positions"))
    if len(line) < 2:
        raise ValueError("a line needs at least two positions [lon, lat]")
    return line


def _position(value: Any) -> LonLat:
    if (
        not isinstance(value, list | tuple)
        or len(value) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    ):
        raise ValueError(f"{_short(value)} is not a position; write [longitude, latitude]")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        raise ValueError(
            f"[{lon}, {lat}] is off the globe; GeoJSON puts longitude first, then latitude"
        )
    return lon, lat


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _colour(value: Any) -> str:
    if isinstance(value, str) and _COLOUR.match(value.strip()):
        return value.strip().lower()
    return ""


def _number(value: Any, default: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    try:
        number = float(value)
    except ValueError:
        return default
    return min(high, max(low, number)) if math.isfinite(number) else default
