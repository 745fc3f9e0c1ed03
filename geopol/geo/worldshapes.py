"""Natural Earth country shapes, committed as geopol/geo/data/world/countries.json.

The file is written by scripts/build_world_shapes.py (see data/world/SOURCE.md). It is
read once per process, and each country is decoded to Mercator degrees the first time a
map needs it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from geopol.geo.projection import XY, BBox, mercator_y

DATA_FILE = Path(__file__).resolve().parent / "data" / "world" / "countries.json"

# Natural Earth's world-scale (1:110m) and medium-scale (1:50m) generalisations.
COARSE = "110m"
DETAILED = "50m"


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, or a key such as "_somaliland" (see SOURCE.md)
    name: str  # Natural Earth's short map name, e.g. "Dem. Rep. Congo"
    bbox: BBox  # every part, in degrees; may reach past 180 east (see build script)
    focus: BBox  # the main body: what a map of this country should show
    label: tuple[float, float]  # lon, lat where the name is written


@dataclass(frozen=True)
class Part:
    """One polygon in Mercator degrees: outer ring first, then holes."""

    bounds: BBox  # left, bottom, right, top in Mercator degrees
    rings: tuple[tuple[XY, ...], ...]


@cache
def _raw() -> dict[str, Any]:
    try:
        with DATA_FILE.open(encoding="utf-8") as handle:
            data: dict[str, Any] = json.load(handle)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{DATA_FILE} is missing; rebuild it with scripts/build_world_shapes.py "
            "(instructions in geopol/geo/data/world/SOURCE.md)"
        ) from None
    return data


@cache
def countries() -> dict[str, Country]:
    """Every country with a shape, by code."""
    out = {}
    for code, entry in _raw()["countries"].items():
        out[code] = Country(
            code=code,
            name=entry["name"],
            bbox=_box(entry["bbox"]),
            focus=_box(entry["focus"]),
            label=(float(entry["label"][0]), float(entry["label"][1])),
        )
    return out


def country(code: str) -> Country | None:
    return countries().get(code.upper() if not code.startswith("_") else code)


@cache
def parts(code: str, scale: str) -> tuple[Part, ...]:
    """The country's polygons at `scale`, falling back to the detailed set (small islands
    are missing from the world-scale set)."""
    entry = _raw()["countries"].get(code)
    if entry is None:
        return ()
    unit = float(_raw()["unit"])
    polygons = entry.get(scale) or entry.get(DETAILED, [])
    out = []
    for polygon in polygons:
        rings = tuple(_decode(ring, unit) for ring in polygon)
        xs = [x for x, _ in rings[0]]
        ys = [y for _, y in rings[0]]
        out.append(Part((min(xs), min(ys), max(xs), max(ys)), rings))
    return tuple(out)


def _decode(flat: list[int], unit: float) -> tuple[XY, ...]:
    lons = accumulate(flat[0::2])
    lats = accumulate(flat[1::2])
    return tuple((lon / unit, mercator_y(lat / unit)) for lon, lat in zip(lons, lats, strict=True))


def _box(values: list[float]) -> BBox:
    return (float(values[0]), float(values[1]), float(values[2]), float(values[3]))
