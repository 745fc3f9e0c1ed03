"""Names of oceans and seas for the locator maps, written in the water where they fit.

Natural Earth's Admin 0 layer has no marine names, so the principal ones are listed here
with a few anchor points each (lon, lat), in order of preference; the first anchor that
is in view, on open water and clear of other labels is used.
"""

from __future__ import annotations

from html import escape

from geopol.geo import maplabels as labels
from geopol.geo.projection import XY, contains
from geopol.geo.svgparts import HALO, Layout, fmt

WATER_INK = "#6b8291"
ISLET_PX = 5.0
WORLD_SCALE_SPAN = 120.0  # degrees of longitude

# Oceans are written in spaced capitals, seas and gulfs in italics.
OCEANS: dict[str, tuple[tuple[float, float], ...]] = {
    "Atlantic Ocean": (
        (-40, 30),
        (-25, 12),
        (-30, -20),
        (-20, 2),
        (-35, 45),
        (-15, 30),
        (-20.5, 16),
        (-16, 5),
    ),
    "Pacific Ocean": ((-140, 15), (-120, -15), (170, 25), (160, 5), (-160, 35)),
    "Indian Ocean": ((80, -15), (65, -10), (95, -25), (60, -25)),
    "Arctic Ocean": ((0, 84), (-150, 78), (100, 81)),
    "Southern Ocean": ((0, -58), (120, -58)),
}
SEAS: dict[str, tuple[tuple[float, float], ...]] = {
    "Mediterranean Sea": ((18, 34.2), (5, 38.3), (28, 33.6), (32.8, 33.2)),
    "Black Sea": ((34, 43.3),),
    "Caspian Sea": ((50.6, 42.3),),
    "Red Sea": ((38.6, 20.2), (36.5, 23.5)),
    "Persian Gulf": ((51.4, 27.2),),
    "Gulf of Aden": ((48, 12.6),),
    "Arabian Sea": ((64, 16), (62, 12)),
    "Bay of Bengal": ((88.5, 15),),
    "Andaman Sea": ((96.5, 11),),
    "South China Sea": ((114, 14), (112, 10)),
    "East China Sea": ((126, 29),),
    "Yellow Sea": ((123.5, 35.5),),
    "Sea of Japan": ((134, 40),),
    "Philippine Sea": ((132, 18),),
    "Sea of Okhotsk": ((149, 53),),
    "Bering Sea": ((-178, 58), (178, 58)),
    "Coral Sea": ((155, -17),),
    "Tasman Sea": ((160, -38),),
    "Gulf of Guinea": ((2, 1.5), (4, 2.5)),
    "Mozambique Channel": ((41.5, -19),),
    "Gulf of Mexico": ((-90, 25),),
    "Caribbean Sea": ((-75, 15), (-70, 14)),
    "Hudson Bay": ((-85, 60),),
    "Labrador Sea": ((-55, 58),),
    "North Sea": ((3, 56),),
    "Norwegian Sea": ((3, 68),),
    "Barents Sea": ((40, 73),),
    "Baltic Sea": ((19.6, 55.7), (19.8, 58.2)),
    "Adriatic Sea": ((15.4, 43),),
    "Aegean Sea": ((25, 39),),
    "Gulf of Oman": ((58.6, 24.6),),
}


def sea_labels(drawn: dict[str, list[list[XY]]], layout: Layout) -> list[str]:
    """Marine names that fit; placed after every other label, so they never displace one."""
    out = []
    land = [(*_bounds(ring), ring) for rings in drawn.values() for ring in rings]
    # Specks of islands may sit under a name; anything larger keeps it away.
    land = [item for item in land if max(item[2] - item[0], item[3] - item[1]) >= ISLET_PX]
    west, _, east, _ = layout.view.bbox()
    names = [(n, a, True) for n, a in OCEANS.items()]
    if east - west < WORLD_SCALE_SPAN:  # seas would clutter a map of the world
        names += [(n, a, False) for n, a in SEAS.items()]
    for name, anchors, is_ocean in names:
        text = name.upper() if is_ocean else name
        size = layout.size(10.5 if is_ocean else 10.0)
        spacing = 2.0 if is_ocean else 0.3
        h = size * 1.2
        # One line, else two ("ATLANTIC / OCEAN") where the water is narrow.
        layouts = [[text]]
        if " " in text:
            first, rest = text.split(" ", 1)
            layouts.append([first, rest])
        placed = False
        for lines in layouts:
            tw = max(labels.text_width(line, size, spacing=spacing) for line in lines)
            for lon, lat in anchors:
                x, y = layout.view.point(lon, lat)
                half_h = h * len(lines) / 2
                box = (x - tw / 2, y - half_h, x + tw / 2, y + half_h)
                if not layout.placer.fits(box) or _touches_land(box, land):
                    continue
                layout.placer.block(box)
                out.append(_water_text(lines, x, box, size, spacing))
                placed = True
                break
            if placed:
                break
    return out


def _water_text(lines: list[str], x: float, box: labels.Box, size: float, spacing: float) -> str:
    h = size * 1.2
    first = labels.baseline((box[0], box[1], box[2], box[1] + h), size)
    spans = "".join(
        f'<tspan x="{fmt(x)}" y="{fmt(first + i * h)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="middle" font-size="{fmt(size)}" font-style="italic" '
        f'letter-spacing="{fmt(spacing)}" fill="{WATER_INK}" stroke="{HALO}" '
        f'stroke-width="2" stroke-opacity="0.35" paint-order="stroke">{spans}</text>'
    )


Ring = list[XY]


def _bounds(ring: Ring) -> tuple[float, float, float, float]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _touches_land(box: labels.Box, land: list[tuple[float, float, float, float, Ring]]) -> bool:
    x0, y0, x1, y1 = box
    probes = [(x0, y0), (x1, y0), (x0, y1), (x1, y1), ((x0 + x1) / 2, (y0 + y1) / 2)]
    probes += [(x0 + (x1 - x0) * f, (y0 + y1) / 2) for f in (0.25, 0.75)]
    for rx0, ry0, rx1, ry1, ring in land:
        if rx1 < x0 or rx0 > x1 or ry1 < y0 or ry0 > y1:
            continue
        if any(contains(ring, px, py) for px, py in probes):
            return True
        # A thin island or cape crossing the box without covering a probe.
        if any(x0 <= px <= x1 and y0 <= py <= y1 for px, py in ring):
            return True
    return False
