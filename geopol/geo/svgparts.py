"""Pieces of the SVG locator map: palette, country outlines, markers, legend, scale bar.

maps.py decides what goes on a map; this module knows how each piece is drawn. Every
function that puts something on the frame also reserves its box in the layout's label
placer, so labels placed later keep clear of it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import escape

from geopol.geo import maplabels as labels
from geopol.geo.maplayers import LayerFeature
from geopol.geo.mapstyle import font_size
from geopol.geo.projection import XY, View, clip_ring, contains, ring_centroid
from geopol.geo.worldshapes import parts

# A calm, print-friendly palette; the accent is the site's.
SEA = "#dce4ea"
LAND = "#f4f2ed"
BORDER = "#aaa59b"
INK = "#1d1d1b"
HALO = "#ffffff"
ACCENT = "#8a1c1c"
FONT = "'Helvetica Neue', Helvetica, Arial, sans-serif"


def _blend(colour: str, base: str, amount: float) -> str:
    """`colour` laid over `base` at `amount` opacity, as one opaque colour (prints evenly)."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(base[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(x * amount + y * (1 - amount)):02x}" for x, y in zip(a, b, strict=True)
    )


PRIMARY_FILL = _blend(ACCENT, LAND, 0.2)
SECONDARY_FILL = _blend(ACCENT, LAND, 0.1)


def shade_fills(n: int) -> list[str]:
    """Fills for the `n` classes of a shaded map, lightest first, evenly apart."""
    if n <= 0:
        return []
    low, high = 0.14, 0.6
    step = (high - low) / (n - 1) if n > 1 else 0.0
    return [_blend(ACCENT, LAND, low + i * step if n > 1 else 0.3) for i in range(n)]


THIN_PX = 0.7  # vertices closer than this are invisible; dropping them keeps output small
# outlines are drawn without the vertices within this of their neighbours' line (viewBox
# units, about a third of a pixel as shown; projection.simplify)
SIMPLIFY_PX = 0.3
CLIP_MARGIN = 3.0  # clip outlines a little outside the frame so cut edges are never seen


@dataclass
class Layout:
    view: View
    placer: labels.Placer
    areas: list[tuple[LayerFeature, list[list[XY]]]] = field(default_factory=list)
    floor: float = 0.0  # the smallest font size in viewBox units (mapstyle.min_font)

    def size(self, base: float) -> float:
        """A text's font size: `base`, raised to the floor that keeps it readable."""
        return font_size(base, self.floor)


def fmt(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def country_rings(code: str, detail: str, view: View) -> list[list[XY]]:
    """The country's outline in pixels, thinned and clipped to the frame.

    Each part is drawn wherever it falls in the view, one world to the east or west
    included, so views across 180 degrees and parts stored past it (Chukotka) work.
    """
    left, bottom, right, top = view.mercator_bounds()
    s, w, h = view.scale, view.width, view.height
    m = CLIP_MARGIN
    out: list[list[XY]] = []
    for part in parts(code, detail):
        b = part.bounds
        if b[1] > top or b[3] < bottom:
            continue
        for shift in (-360.0, 0.0, 360.0):
            if b[0] + shift > right or b[2] + shift < left:
                continue
            whole = (
                b[0] + shift >= left and b[2] + shift <= right and b[1] >= bottom and b[3] <= top
            )
            ox, oy = view.left - shift, view.top
            for ring in part.rings:
                pts = _project_thin(ring, ox, oy, s)
                if not whole:
                    pts = clip_ring(pts, -m, -m, w + m, h + m)
                if len(pts) >= 3:
                    out.append(pts)
    return out


def _project_thin(ring: tuple[XY, ...], ox: float, oy: float, s: float) -> list[XY]:
    """Project a ring to pixels, dropping vertices within THIN_PX of the last one kept
    (one pass: this loop dominates the time spent drawing a map)."""
    x, y = ring[0]
    lx, ly = (x - ox) * s, (oy - y) * s
    kept = [(lx, ly)]
    for x, y in ring:
        px, py = (x - ox) * s, (oy - y) * s
        if abs(px - lx) + abs(py - ly) >= THIN_PX:
            kept.append((px, py))
            lx, ly = px, py
    return kept


def label_anchor(
    label: tuple[float, float], rings: list[list[XY]], view: View, need: XY | None
) -> XY | None:
    """Where to write a country's name: its stored label point when that is on the map,
    else the centre of its largest visible piece. With `need` (text width and height),
    only where that piece has room for the name."""
    x, y = view.point(*label)
    inset = 12.0
    if inset < x < view.width - inset and inset < y < view.height - inset:
        for ring in rings:
            if contains(ring, x, y):
                return (x, y) if _roomy(ring, view, need) else None
    centres = sorted(((*ring_centroid(r), r) for r in rings), key=lambda c: -c[1])
    if not centres:
        return None
    (cx, cy), _, ring = centres[0]
    if not (inset < cx < view.width - inset and inset < cy < view.height - inset):
        return None
    if not contains(ring, cx, cy) or not _roomy(ring, view, need):
        return None
    return cx, cy


def _roomy(ring: list[XY], view: View, need: XY | None) -> bool:
    """Whether the visible part of a ring comfortably holds a label of size `need`."""
    if need is None:
        return True
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    width = min(max(xs), view.width) - max(min(xs), 0.0)
    height = min(max(ys), view.height) - max(min(ys), 0.0)
    _, area = ring_centroid(ring)
    text_w, text_h = need
    return width >= 1.15 * text_w and height >= 2.2 * text_h and area >= 2.5 * text_w * text_h


def marker(x: float, y: float, kind: str, emphasis: int, layout: Layout, colour: str = INK) -> str:
    """One marker; its box is reserved so no label covers it."""
    r = 3.5 + min(max(emphasis, 0), 2) * 1.0
    if kind == "capital":
        r += 1
    # A margin keeps other labels far enough away not to seem to name this marker.
    pad = r + 2.5
    layout.placer.block((x - pad, y - pad, x + pad, y + pad))
    cx, cy = fmt(x), fmt(y)
    if kind == "capital":
        return (
            f'<circle cx="{cx}" cy="{cy}" r="{fmt(r)}" fill="{HALO}" stroke="{colour}" '
            f'stroke-width="1.5"/><circle cx="{cx}" cy="{cy}" r="{fmt(r * 0.42)}" fill="{colour}"/>'
        )
    if kind == "approximate":
        return (
            f'<circle cx="{cx}" cy="{cy}" r="{fmt(r + 1.5)}" fill="{HALO}" fill-opacity="0.6" '
            f'stroke="{colour}" stroke-width="1.2" stroke-dasharray="2 1.6"/>'
        )
    if kind == "layer":
        d = r + 1
        return (
            f'<path d="M{cx} {fmt(y - d)}L{fmt(x + d)} {cy}L{cx} {fmt(y + d)}L{fmt(x - d)} {cy}Z" '
            f'fill="{colour}" stroke="{HALO}" stroke-width="1.2"/>'
        )
    return (
        f'<circle cx="{cx}" cy="{cy}" r="{fmt(r)}" fill="{colour}" stroke="{HALO}" '
        'stroke-width="1.2"/>'
    )


def arrowhead(line: list[XY], colour: str, width: float) -> tuple[list[XY], list[str]]:
    """The line shortened to end at the base of an arrowhead, and the arrowhead itself.

    Drawn as a plain polygon rather than an SVG marker: markers are dropped by some feed
    readers and cannot take the line's colour without SVG 2."""
    (ax, ay), (bx, by) = line[-2], line[-1]
    length = math.hypot(bx - ax, by - ay)
    if length == 0:
        return line, []
    ux, uy = (bx - ax) / length, (by - ay) / length
    size = 7 + 2.5 * width
    half = size * 0.45
    base_x, base_y = bx - ux * size, by - uy * size
    points = [
        (bx, by),
        (base_x - uy * half, base_y + ux * half),
        (base_x + uy * half, base_y - ux * half),
    ]
    tip = " ".join(f"{fmt(px)},{fmt(py)}" for px, py in points)
    shortened = [*line[:-1], (bx - ux * size * 0.7, by - uy * size * 0.7)]
    return shortened, [f'<polygon points="{tip}" fill="{colour}" stroke="none"/>']


NICE_KM = [n * 10**e for e in range(0, 5) for n in (1, 2, 5)]


def scale_bar(layout: Layout) -> list[str]:
    """A kilometre bar at the bottom left; none on views too tall for one scale to hold."""
    view = layout.view
    _, south, _, north = view.bbox()
    if north - south > 35:
        return []  # Mercator's scale changes too much across the frame
    km_per_px = view.km_per_pixel()
    length_km = min(NICE_KM, key=lambda km: abs(km / km_per_px - 90))
    px = length_km / km_per_px
    if not 30 <= px <= 160:
        return []
    size = layout.size(9)
    x0, y = 10.0, view.height - 10.0
    label_w = labels.text_width(f"{length_km:,} km", size)
    layout.placer.block((x0 - 2, y - size * 1.6, x0 + px + 8 + label_w, view.height))
    x1 = x0 + px
    ticks = f"M{fmt(x0)} {fmt(y - 4)}V{fmt(y)}H{fmt(x1)}V{fmt(y - 4)}"
    return [
        f'<g class="geomap-scale" font-size="{fmt(size)}" fill="#4a4741">'
        f'<path d="{ticks}" fill="none" stroke="{HALO}" stroke-width="3" stroke-opacity="0.8"/>'
        f'<path d="{ticks}" fill="none" stroke="#4a4741" stroke-width="1"/>'
        f'<text x="{fmt(x1 + 4)}" y="{fmt(y)}" stroke="{HALO}" stroke-width="2" '
        f'stroke-opacity="0.8" paint-order="stroke">{length_km:,} km</text></g>'
    ]


def note_box(note: str, layout: Layout) -> list[str]:
    """A note across the top of the map, e.g. that no place could be resolved; wrapped
    onto more lines where the map is narrow."""
    size = layout.size(12.0)
    width = layout.view.width
    lines = wrap(clean_text(note, 120), size, width - 40)
    tw = max(labels.text_width(line, size) for line in lines)
    line_h = size * 1.3
    x0 = (width - tw) / 2 - 10
    box = (x0, 10.0, x0 + tw + 20, 10.0 + line_h * len(lines) + size * 0.7)
    layout.placer.block(box)
    first = 10.0 + size * 0.35 + line_h / 2 + size * 0.35
    spans = "".join(
        f'<tspan x="{fmt(width / 2)}" y="{fmt(first + i * line_h)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return [
        f'<g class="geomap-note"><rect x="{fmt(box[0])}" y="{fmt(box[1])}" '
        f'width="{fmt(box[2] - box[0])}" height="{fmt(box[3] - box[1])}" rx="3" fill="#ffffff" '
        f'fill-opacity="0.92" stroke="#c9c4ba"/><text text-anchor="middle" '
        f'font-size="{fmt(size)}" fill="{INK}">{spans}</text></g>'
    ]


def wrap(text: str, size: float, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` at font `size` (a word
    longer than the width keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and labels.text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def attribution(layout: Layout) -> list[str]:
    """The data credit, small, bottom right."""
    w, h = layout.view.width, layout.view.height
    size = layout.size(8)
    tw = labels.text_width("Natural Earth", size)
    layout.placer.block((w - tw - 10, h - size * 1.7, float(w), float(h)))
    return [
        f'<text x="{w - 5}" y="{h - 5}" text-anchor="end" font-size="{fmt(size)}" '
        f'fill="#6f6a61" stroke="{HALO}" stroke-width="2" stroke-opacity="0.8" '
        'paint-order="stroke">Natural Earth</text>'
    ]


# Characters XML 1.0 forbids; a label carrying one would make the whole SVG unparsable.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str, limit: int) -> str:
    """User text made safe to escape into XML: no control characters, one line, at most
    `limit` characters (an ellipsis marks the cut). Escaping is still the caller's job."""
    text = " ".join(_INVALID_XML.sub("", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
