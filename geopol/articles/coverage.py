"""Coverage over time: a small server-rendered SVG bar chart of analyses per month, for hub
pages. Pure: counts in, SVG out (the view counts, in one query)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

# a bar a month from the first analysis to the newest (at least a year of them); an archive
# spanning more than MAX_MONTHS gets a bar a year instead, or its bars would be slivers
MIN_MONTHS, MAX_MONTHS = 12, 36
WIDTH, HEIGHT = 290, 120  # the sidebar's width; scaled with the page
TOP, BOTTOM, LABEL = 16, 96, 11  # plot top and baseline, label size (>= 11 px)


@dataclass(frozen=True)
class Bar:
    start: dt.date
    count: int
    unit: str  # "month" or "year"

    @property
    def label(self) -> str:
        return self.start.strftime("%b %Y") if self.unit == "month" else str(self.start.year)


def coverage_series(counts: Mapping[dt.date, int]) -> list[Bar]:
    """Bars from the first month in `counts` (analyses per month, keyed by the months'
    first days) to the newest, zeros included: a bar a month, or a bar a year when that
    spans more than MAX_MONTHS; [] when there is nothing to count."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    index = last.year * 12 + last.month - 1
    span = index - (first.year * 12 + first.month - 1) + 1
    if span > MAX_MONTHS:
        years: dict[int, int] = {}
        for month, n in counts.items():
            years[month.year] = years.get(month.year, 0) + n
        return [
            Bar(dt.date(y, 1, 1), years.get(y, 0), "year") for y in range(first.year, last.year + 1)
        ]
    return [
        Bar(
            dt.date(i // 12, i % 12 + 1, 1), counts.get(dt.date(i // 12, i % 12 + 1, 1), 0), "month"
        )
        for i in range(index - max(span, MIN_MONTHS) + 1, index + 1)
    ]


def coverage_svg(series: list[Bar], subject: str) -> str:
    """The bar chart of `series`: the busiest bar's count, the first and last bars' labels
    and the years between where they fit; each bar titled with its period and count."""
    if not series:
        return ""
    peak = max(m.count for m in series) or 1
    total = sum(m.count for m in series)
    step = WIDTH / len(series)
    parts = [
        f'<svg class="coverage-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(subject)}: {total} analyses from {series[0].label} to '
        f'{series[-1].label}, at most {peak} in a {series[0].unit}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="0" y1="{BOTTOM}" x2="{WIDTH}" y2="{BOTTOM}" class="coverage-axis"/>',
        f'<text x="0" y="{LABEL}" class="coverage-peak" font-size="{LABEL}">Busiest '
        f"{series[0].unit}: {peak}</text>",
    ]
    gap = min(2.0, step / 3)
    for i, month in enumerate(series):
        height = (BOTTOM - TOP) * month.count / peak
        noun = "analysis" if month.count == 1 else "analyses"
        parts.append(
            f'<rect x="{i * step + gap / 2:.1f}" y="{BOTTOM - height:.1f}" '
            f'width="{step - gap:.1f}" height="{height:.1f}" class="coverage-bar">'
            f"<title>{month.label}: {month.count} {noun}</title></rect>"
        )
    parts += _labels(series, step)
    parts.append("</svg>")
    return "".join(parts)


def _labels(series: list[Bar], step: float) -> list[str]:
    """The first and last months under the axis, and the years between where they fit."""
    y = BOTTOM + LABEL + 4
    ends = (
        f'<text x="0" y="{y}" font-size="{LABEL}" class="coverage-label">{series[0].label}</text>',
        f'<text x="{WIDTH}" y="{y}" text-anchor="end" font-size="{LABEL}" '
        f'class="coverage-label">{series[-1].label}</text>',
    )
    years, last_x = [], 60.0  # "Jan 2013" is about 50 px wide at 11 px
    for i, month in enumerate(series[1:-1], start=1):
        x = (i + 0.5) * step
        if month.start.month == 1 and x - last_x >= 40 and WIDTH - x >= 70:
            years.append(
                f'<text x="{x:.1f}" y="{y}" text-anchor="middle" font-size="{LABEL}" '
                f'class="coverage-label">{month.start.year}</text>'
            )
            last_x = x
    return [ends[0], *years, ends[1]]
