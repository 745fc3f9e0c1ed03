"""The legend of the SVG locator map: a strip under the map, one entry per style shown.

Under the map rather than over a corner of it, so a legend never hides a place, and a phone's
narrow map keeps all its room; entries are set in columns. Which entries a map gets
is decided by mapstyle.legend_rows (only the styles present on that map).
"""

from __future__ import annotations

from html import escape

from geopol.geo import maplabels as labels
from geopol.geo.maplayers import LayerFeature
from geopol.geo.mapstyle import LegendRow
from geopol.geo.svgparts import (
    ACCENT,
    BORDER,
    HALO,
    INK,
    PRIMARY_FILL,
    SECONDARY_FILL,
    fmt,
)

SWATCH = 22.0
GAP = 6.0  # between swatch and text
SPACING = 18.0  # between columns
PAD = 8.0


def legend_height(rows: list[LegendRow], width: float, size: float) -> float:
    """The height of the strip the rows need under a map `width` units wide."""
    if not rows:
        return 0.0
    return PAD * 2 + len(_lines(rows, width, size)) * size * 1.7


def legend_strip(
    rows: list[LegendRow],
    features: list[LayerFeature],
    shades: list[str],
    top: float,
    width: float,
    size: float,
    ident: str,
) -> list[str]:
    """The legend's SVG, from `top` down: a swatch drawn as the map draws that style, and
    its text. `shades` are the fills of a shaded map's classes, lightest first."""
    if not rows:
        return []
    line_h = size * 1.7
    out = [f'<g class="geomap-legend" font-size="{fmt(size)}" fill="{INK}">']
    for n, line in enumerate(_lines(rows, width, size)):
        mid = top + PAD + n * line_h + line_h / 2
        for x, row, text in line:
            out.append(_swatch(row.key, features, shades, x, mid, ident))
            out.append(
                f'<text x="{fmt(x + SWATCH + GAP)}" y="{fmt(mid + size * 0.35)}">'
                f"{escape(text)}</text>"
            )
    out.append("</g>")
    return out


def _lines(
    rows: list[LegendRow], width: float, size: float
) -> list[list[tuple[float, LegendRow, str]]]:
    """Entries placed in lines of equal columns: (x, row, text as shown). As many columns
    as the widest entry allows at the map's width, so the entries line up."""
    room = width - 2 * PAD
    texts = [_short(row.text, size, room - SWATCH - GAP) for row in rows]
    # The widths are estimates for Helvetica; fallback faces (DejaVu Sans) run ~10% wider.
    column = max(SWATCH + GAP + labels.text_width(t, size) * 1.1 for t in texts) + SPACING
    columns = max(1, int((room + SPACING) // column))
    lines: list[list[tuple[float, LegendRow, str]]] = []
    for i, (row, text) in enumerate(zip(rows, texts, strict=True)):
        if i % columns == 0:
            lines.append([])
        lines[-1].append((PAD + (i % columns) * column, row, text))
    return lines


def _short(text: str, size: float, room: float) -> str:
    """The text, cut with an ellipsis where it would not fit one line of the strip."""
    text = text if len(text) <= 48 else text[:47].rstrip() + "\u2026"
    while len(text) > 4 and labels.text_width(text, size) > room:
        text = text[:-2].rstrip() + "\u2026"
    return text


def _swatch(
    key: str, features: list[LayerFeature], shades: list[str], x: float, mid: float, ident: str
) -> str:
    cx = fmt(x + SWATCH / 2)
    if key == "place":
        return (
            f'<circle cx="{cx}" cy="{fmt(mid)}" r="3.5" fill="{INK}" stroke="{HALO}" '
            'stroke-width="1.2"/>'
        )
    if key == "capital":
        return (
            f'<circle cx="{cx}" cy="{fmt(mid)}" r="4.5" fill="{HALO}" stroke="{INK}" '
            f'stroke-width="1.5"/><circle cx="{cx}" cy="{fmt(mid)}" r="1.9" fill="{INK}"/>'
        )
    if key == "approximate":
        return (
            f'<circle cx="{cx}" cy="{fmt(mid)}" r="5" fill="none" stroke="{INK}" '
            'stroke-width="1.2" stroke-dasharray="2 1.6"/>'
        )
    if key in ("primary", "secondary") or key.startswith("shade:"):
        if key == "primary":
            fill, stroke = PRIMARY_FILL, ACCENT
        elif key == "secondary":
            fill, stroke = SECONDARY_FILL, BORDER
        else:
            fill, stroke = shades[int(key.split(":")[1])], BORDER
        return (
            f'<rect x="{fmt(x)}" y="{fmt(mid - 6)}" width="{fmt(SWATCH)}" height="12" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1"/>'
        )
    index = int(key.split(":")[1])
    return _layer_swatch(features[index], x, mid, f"{ident}-h{index}")


def _layer_swatch(f: LayerFeature, x: float, mid: float, hatch_id: str) -> str:
    width = SWATCH
    if f.kind == "area":
        fill = f"url(#{hatch_id})" if f.hatch else f.fill
        opacity = "" if f.hatch else f' fill-opacity="{fmt(max(f.fill_opacity, 0.25), 2)}"'
        return (
            f'<rect x="{fmt(x)}" y="{fmt(mid - 5)}" width="{fmt(width)}" height="10" '
            f'fill="{fill}"{opacity} stroke="{f.stroke}"/>'
        )
    if f.kind == "line":
        dash = ' stroke-dasharray="5 3"' if f.dashed else ""
        stroke_w = min(f.stroke_width, 3.0)
        end = x + width
        head = ""
        if f.arrow:
            end -= 5
            head = (
                f'<polygon points="{fmt(x + width)},{fmt(mid)} {fmt(end - 2)},{fmt(mid - 4)} '
                f'{fmt(end - 2)},{fmt(mid + 4)}" fill="{f.stroke}"/>'
            )
        return (
            f'<line x1="{fmt(x)}" y1="{fmt(mid)}" x2="{fmt(end - 2 if f.arrow else end)}" '
            f'y2="{fmt(mid)}" stroke="{f.stroke}" stroke-width="{fmt(stroke_w)}"{dash}/>{head}'
        )
    cx, d = x + width / 2, 4.5
    return (
        f'<path d="M{fmt(cx)} {fmt(mid - d)}L{fmt(cx + d)} {fmt(mid)}L{fmt(cx)} {fmt(mid + d)}'
        f'L{fmt(cx - d)} {fmt(mid)}Z" fill="{f.fill}" stroke="{HALO}" stroke-width="1.2"/>'
    )
