"""The legend of the SVG locator map: one entry per style shown (mapstyle.legend_rows).

On a wide map it is a box in the corner that hides the fewest markers and labels, so the
map's height on the page stays as it was; on a phone's narrow map, where no corner has room,
a strip under the map, its entries flowing and wrapping.
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
    Layout,
    fmt,
)

SWATCH = 22.0
GAP = 6.0  # between swatch and text
SPACING = 16.0  # between entries on a line
PAD = 6.0
LINE = 1.4  # line height of the strip, in font sizes


def legend_height(rows: list[LegendRow], width: float, size: float) -> float:
    """The height of the strip the rows need under a map `width` units wide."""
    if not rows:
        return 0.0
    return PAD * 2 + len(_lines(rows, width, size)) * size * LINE


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
    line_h = size * LINE
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
    """Entries placed in lines: (x, row, text as shown), wrapping at the map's width."""
    lines: list[list[tuple[float, LegendRow, str]]] = [[]]
    x = PAD
    limit = width - PAD
    for row in rows:
        text = _short(row.text, size, limit - PAD - SWATCH - GAP)
        entry_w = SWATCH + GAP + _text_width(text, size)
        if lines[-1] and x + entry_w > limit:
            lines.append([])
            x = PAD
        lines[-1].append((x, row, text))
        x += entry_w + SPACING
    return lines


def _text_width(text: str, size: float) -> float:
    # The widths are estimates for Helvetica; fallback faces (DejaVu Sans) run ~10% wider.
    return labels.text_width(text, size) * 1.1


def legend_box(
    rows: list[LegendRow],
    features: list[LayerFeature],
    shades: list[str],
    layout: Layout,
    size: float,
    ident: str,
) -> list[str]:
    """The legend as a box over the map, in the corner that hides the fewest markers and
    labels placed so far; the box is reserved, so later labels keep clear of it."""
    if not rows:
        return []
    row_h = size * 1.5
    texts = [_short(row.text, size, layout.view.width * 0.6) for row in rows]
    box_w = PAD * 2 + SWATCH + GAP + max(_text_width(t, size) for t in texts)
    box_h = PAD * 2 + row_h * len(rows) - size * 0.3
    w, h = layout.view.width, layout.view.height
    corners = [
        (8.0, h - 30.0 - box_h),  # bottom left, above the scale bar
        (8.0, 8.0),
        (w - 8.0 - box_w, 8.0),
        (w - 8.0 - box_w, h - size * 1.8 - box_h),  # above the attribution
    ]

    def crowding(corner: tuple[float, float]) -> int:
        box = (corner[0], corner[1], corner[0] + box_w, corner[1] + box_h)
        return sum(labels.overlaps(box, taken) for taken in layout.placer.taken)

    x0, y0 = min(corners, key=crowding)
    layout.placer.block((x0, y0, x0 + box_w, y0 + box_h))
    out = [
        f'<g class="geomap-legend" font-size="{fmt(size)}" fill="{INK}">'
        f'<rect x="{fmt(x0)}" y="{fmt(y0)}" width="{fmt(box_w)}" height="{fmt(box_h)}" rx="2" '
        'fill="#ffffff" fill-opacity="0.94" stroke="#c9c4ba"/>'
    ]
    for i, (row, text) in enumerate(zip(rows, texts, strict=True)):
        mid = y0 + PAD + i * row_h + row_h / 2 - size * 0.15
        out.append(_swatch(row.key, features, shades, x0 + PAD, mid, ident))
        out.append(
            f'<text x="{fmt(x0 + PAD + SWATCH + GAP)}" y="{fmt(mid + size * 0.35)}">'
            f"{escape(text)}</text>"
        )
    out.append("</g>")
    return out


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
