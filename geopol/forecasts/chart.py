"""The calibration (reliability) chart as server-side SVG. Pure.

x: the mean forecast probability of each bin; y: how often its judgments came true. The
dashed diagonal is perfect calibration; each point's area grows with its bin's count. Under
the axis, a bar per bin shows how many forecasts it holds (the count printed above it), so
the labels never crowd the curve. Empty bins draw nothing.
"""

from __future__ import annotations

import math
from html import escape

from geopol.forecasts.scoring import Bin

WIDTH, HEIGHT = 420, 360
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 16, 96  # margins around the plot; the counts go below
BARS = 34  # height of the tallest count bar


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


def _count_bars(bins: tuple[Bin, ...]) -> list[str]:
    """A bar per non-empty bin under the x axis, its count above it."""
    most = max((b.count for b in bins), default=0)
    base = HEIGHT - BOTTOM + 30 + BARS
    parts = [
        f'<text class="tick" x="{_x(0) - 6:.1f}" y="{base:.1f}" text-anchor="end">count</text>'
    ]
    for b in bins:
        if not b.count:
            continue
        height = max(2.0, BARS * b.count / most)
        left, right = _x(b.low) + 2, _x(b.high) - 2
        parts += [
            f'<rect class="count-bar" x="{left:.1f}" y="{base - height:.1f}" '
            f'width="{right - left:.1f}" height="{height:.1f}"/>',
            f'<text class="count" x="{(left + right) / 2:.1f}" y="{base - height - 3:.1f}" '
            f'text-anchor="middle">{b.count}</text>',
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
        parts.append(
            f'<circle class="bin" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{b.label}: {b.count} forecasts, {observed} came true</title></circle>"
        )
    parts += _count_bars(bins)
    if not points:
        parts.append(
            f'<text class="empty" x="{(_x(0) + _x(1)) / 2:.1f}" y="{(_y(0) + _y(1)) / 2:.1f}" '
            'text-anchor="middle">No resolved forecasts yet</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
