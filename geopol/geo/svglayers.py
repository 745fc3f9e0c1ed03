"""Drawing an editor's authored layers (see maplayers.py) onto the SVG locator map."""

from __future__ import annotations

from html import escape

from geopol.geo import maplabels as labels
from geopol.geo.maplayers import LayerFeature
from geopol.geo.projection import (
    XY,
    View,
    clip_line,
    clip_ring,
    contains,
    path_data,
    ring_centroid,
    thin,
)
from geopol.geo.svgparts import HALO, Layout, arrowhead, clean_text, fmt


def hatch_patterns(ident: str, features: list[LayerFeature]) -> list[str]:
    """<pattern> definitions for areas styled "hatch" (they print well in black and white)."""
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


def layer_areas(ident: str, features: list[LayerFeature], layout: Layout) -> list[str]:
    """Areas of control and other polygons; remembers their pixel rings for area_labels."""
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
            f'<path d="{path_data(rings)}" fill="{fill}"{opacity} fill-rule="evenodd" '
            f'stroke="{f.stroke}" stroke-width="{fmt(f.stroke_width)}" stroke-linejoin="round"/>'
        )
    return out


def layer_lines(features: list[LayerFeature], layout: Layout) -> list[str]:
    """Front lines (dashed), routes and arrows (arrowhead at the last position)."""
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
                f'<path d="{path_data([piece], closed=False)}" fill="none" stroke="{f.stroke}" '
                f'stroke-width="{fmt(f.stroke_width)}" stroke-linecap="round" '
                f'stroke-linejoin="round"{dash}/>'
                for piece in pieces
            ]
            out += head
    return out


def area_labels(layout: Layout) -> list[str]:
    """Italic names at the centre of the labelled areas drawn by layer_areas."""
    out = []
    for f, rings in layout.areas:
        if not f.label:
            continue
        (x, y), _ = max((ring_centroid(r) for r in rings), key=lambda c: c[1])
        if not any(contains(r, x, y) for r in rings):
            continue
        size = layout.size(10.5)
        text = clean_text(f.label, 60)
        tw = labels.text_width(text, size)
        steps = [(0, 0), (0, -14), (0, 14), (-20, 0), (20, 0)]
        spot = layout.placer.place(labels.centred_candidates(x, y, tw, size * 1.2, steps))
        if spot is None:
            continue
        box, _ = spot
        out.append(
            f'<text x="{fmt((box[0] + box[2]) / 2)}" y="{fmt(labels.baseline(box, size))}" '
            f'text-anchor="middle" font-size="{fmt(size)}" font-style="italic" fill="{f.stroke}" '
            f'stroke="{HALO}" stroke-width="2.5" stroke-opacity="0.85" stroke-linejoin="round" '
            f'paint-order="stroke">{escape(text)}</text>'
        )
    return out
