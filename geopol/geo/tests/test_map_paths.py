"""Map outlines as path data: relative lines to a tenth of a unit, without the vertices the
drawn scale cannot show; the world map in about half the bytes, drawn the same."""

from __future__ import annotations

import math
import re

from geopol.geo.maps import WORLD, MapSpec, render_svgs, view_for
from geopol.geo.projection import path_data, simplify
from geopol.geo.svgparts import SIMPLIFY_PX, country_rings
from geopol.geo.worldshapes import COARSE, DETAILED, countries

NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def absolute(path: str) -> list[list[tuple[float, float]]]:
    """The rings a path of "M x y l dx dy ... Z" draws, as absolute points."""
    rings = []
    for ring in re.findall(r"M([^MZ]*)Z", path):
        start, _, rest = ring.partition("l")
        x, y = (float(n) for n in NUMBER.findall(start))
        points = [(x, y)]
        steps = [float(n) for n in NUMBER.findall(rest)]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(points)
    return rings


def segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def test_path_data_writes_relative_tenths_that_draw_the_same_points():
    ring = [(493.04, 177.5), (494.1, 177.5), (495.7, 178.0), (496.3, 178.46), (490.0, 170.0)]
    path = path_data([ring])
    assert path == "M493 177.5l1.1 0 1.6.5.6.5-6.3-8.5Z"
    for (x, y), (ox, oy) in zip(absolute(path)[0], ring, strict=True):
        assert abs(x - ox) <= 0.051 and abs(y - oy) <= 0.051


def test_simplified_outlines_stay_within_a_third_of_a_unit_of_the_drawn_ones():
    for bbox, width, detail in ((WORLD, 720, COARSE), ((-10, 35, 30, 72), 960, DETAILED)):
        view = view_for(MapSpec(title="t", bbox=bbox, width=width))
        for code in ("NO", "GR", "GB", "IT", "HR", "DK"):
            for ring in country_rings(code, detail, view):
                kept = simplify(ring, SIMPLIFY_PX)
                assert len(kept) <= len(ring)
                at = 0  # kept points are the ring's own, in order
                for point in ring:
                    if at + 1 < len(kept) and point == kept[at + 1]:
                        at += 1
                        continue
                    following = kept[at + 1] if at + 1 < len(kept) else kept[0]
                    assert segment_distance(point, kept[at], following) <= SIMPLIFY_PX + 1e-9


def test_the_world_map_takes_about_half_the_bytes_it_did():
    links = {code: f"/countries/{code.lower()}/" for code in countries() if len(code) == 2}
    spec = MapSpec(title="The world", bbox=WORLD, height=None, country_links=links)
    html = render_svgs(spec)
    # drawn wide and for phones: 238 KB before relative paths and simplification
    assert len(html.encode()) < 140_000
    assert html.count("<path") >= 2 * 170  # every country still drawn, twice
