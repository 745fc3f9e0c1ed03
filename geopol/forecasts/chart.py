"""The calibration (reliability) chart as server-side SVG. Pure.

x: the mean forecast probability of each bin; y: how often its judgments came true. The
dashed diagonal is perfect calibration; each point's area grows with its bin's count, which
is printed beside it. Empty bins draw nothing.
"""

from __future__ import annotations

import math
from html import escape

from geopol.forecasts.scoring import Bin

WIDTH, HEIGHT = 420, 320
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 16, 48  # margins around the plot


def _x(p: float) -> float:
    return LEFT + p * (WIDTH - LEFT - RIGHT)


def _y(p: float) -> float:
    return HEIGHT - BOTTOM - p * (HEIGHT - TOP - BOTTOM)


def _grid() -> list[str]:
    parts = []
    for step in range(6):
        p = step / 5
        label = f"{p * 100:.0f}%"
        parts += [
            f'<line class="grid" x1="{_x(0):.1f}" y1="{_y(p):.1f}" x2="{_x(1):.1f}" '
            f'y2="{_y(p):.1f}"/>',
            f'<line class="grid" x1="{_x(p):.1f}" y1="{_y(0):.1f}" x2="{_x(p):.1f}" '
            f'y2="{_y(1):.1f}"/>',
            f'<text class="tick" x="{_x(0) - 6:.1f}" y="{_y(p) + 4:.1f}" '
            f'text-anchor="end">{label}</text>',
            f'<text class="tick" x="{_x(p):.1f}" y="{_y(0) + 16:.1f}" '
            f'text-anchor="middle">{label}</text>',
        ]
    return parts


def reliability_svg(bins: tuple[Bin, ...], title: str = "Calibration") -> str:
    """An <svg> element (inline in a page, styled by its classes)."""
    filled = [b for b in bins if b.count and b.mean_probability is not None]
    total = sum(b.count for b in filled) or 1
    points = [(_x(b.mean_probability or 0), _y(b.observed or 0), b) for b in filled]
    parts = [
        f'<svg class="reliability" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="reliability-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="reliability-title">{escape(title)}</title>',
        *_grid(),
        f'<line class="diagonal" x1="{_x(0):.1f}" y1="{_y(0):.1f}" x2="{_x(1):.1f}" '
        f'y2="{_y(1):.1f}"/>',
        f'<text class="axis" x="{(_x(0) + _x(1)) / 2:.1f}" y="{HEIGHT - 8}" '
        'text-anchor="middle">Forecast probability (mean of bin)</text>',
        f'<text class="axis" transform="translate(14 {(_y(0) + _y(1)) / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">Came true</text>',
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(f'<polyline class="curve" points="{path}"/>')
    for x, y, b in points:
        radius = 3 + 9 * math.sqrt(b.count / total)
        observed = f"{(b.observed or 0) * 100:.0f}%"
        parts += [
            f'<circle class="bin" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{b.label}: {b.count} forecasts, {observed} came true</title></circle>",
            f'<text class="count" x="{x + radius + 3:.1f}" y="{y - radius:.1f}">n={b.count}</text>',
        ]
    if not points:
        parts.append(
            f'<text class="empty" x="{(_x(0) + _x(1)) / 2:.1f}" y="{(_y(0) + _y(1)) / 2:.1f}" '
            'text-anchor="middle">No resolved forecasts yet</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
