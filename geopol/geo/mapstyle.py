"""Pure rules for how large a map's text is, how many labels it carries, and its legend.

An SVG map is scaled to the width of the screen, so a label's size on screen is its size in
the SVG's own units times (shown width / viewBox width). A map drawn 720 units wide and shown
on a 390 px phone (about 350 px of column) is halved: its 11-unit labels would be 5 px. So a
map is drawn once per width it is shown at (maps.render_svgs: a wide one and a narrow one,
swapped by CSS), and each text's size is floored so it is at least MIN_LABEL_PX on screen.
Fewer labels fit at that size; the label budget says how many a width carries, and the
placer's collision avoidance decides which of them find room.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_LABEL_PX = 11.0  # the smallest text a map shows, in CSS pixels as rendered
NARROW_WIDTH = 360  # viewBox width of the map shown on phones
# The narrowest column a narrow map is promised to be shown in: a 375 px phone minus the
# page's gutters (measured in Chromium: 390 px wide -> the figure is 358 px).
NARROW_DISPLAY = 340
NARROW_BREAKPOINT = 600  # CSS px: below this the narrow map is shown (site.css)
PX_PER_PLACE_LABEL = 40.0  # one place label per this many rendered pixels of width
PX_PER_COUNTRY_LABEL = 80.0  # the same for the names of countries not shaded


def min_font(view_width: float, display_width: float | None) -> float:
    """The smallest font size, in viewBox units, that renders at MIN_LABEL_PX when a map
    `view_width` units wide is shown `display_width` px wide (None: at its own width)."""
    shown = display_width or view_width
    return MIN_LABEL_PX * view_width / shown


def font_size(base: float, floor: float) -> float:
    """A text's size: its designed `base`, raised to `floor` where that is larger. The
    hierarchy of labels then rests on weight, case and colour as much as on size."""
    return round(max(base, floor), 2)


def label_budget(display_width: float, per_label_px: float = PX_PER_PLACE_LABEL) -> int:
    """How many labels of one kind a map shown `display_width` px wide may carry: at least
    three, so a phone still names the main places."""
    return max(3, int(display_width // per_label_px))


@dataclass(frozen=True)
class LegendRow:
    """One entry of a map's legend: the style drawn (`key`) and what it means (`text`).

    Keys: "place", "capital", "approximate", "primary", "secondary", "layer:<index>" (an
    authored feature, by its index in the parsed layers) and "shade:<n>" (a class of a
    shaded map, darkest last)."""

    key: str
    text: str


APPROXIMATE_TEXT = "Approximate: placed at its region or country"


@dataclass(frozen=True)
class MapContents:
    """What a drawn map shows, as far as its legend cares."""

    marker_kinds: frozenset[str] = frozenset()  # "place", "capital", "approximate"
    layer_legends: tuple[tuple[int, str], ...] = ()  # (feature index, legend text)
    primary: bool = False
    secondary: bool = False
    primary_text: str = "Countries of this map"
    secondary_text: str = "Also mentioned"
    shade_classes: tuple[str, ...] = ()  # texts of the classes of a shaded map, lightest first


def legend_rows(contents: MapContents) -> list[LegendRow]:
    """A row for every style the map shows, none for a style it does not: authored layers
    first (their editor named them), then countries, then markers."""
    rows: list[LegendRow] = []
    seen: set[str] = set()
    for index, text in contents.layer_legends:
        if text and text not in seen:
            seen.add(text)
            rows.append(LegendRow(f"layer:{index}", text))
    if contents.shade_classes:
        rows += [LegendRow(f"shade:{i}", t) for i, t in enumerate(contents.shade_classes)]
    else:
        if contents.primary:
            rows.append(LegendRow("primary", contents.primary_text))
        if contents.secondary:
            rows.append(LegendRow("secondary", contents.secondary_text))
    kinds = contents.marker_kinds
    if "place" in kinds:
        rows.append(LegendRow("place", "Place mentioned"))
    if "capital" in kinds:
        rows.append(LegendRow("capital", "Capital"))
    if "approximate" in kinds:
        rows.append(LegendRow("approximate", APPROXIMATE_TEXT))
    return rows


def shade_classes(
    counts: list[int], noun: tuple[str, str] = ("analysis", "analyses")
) -> list[tuple[int, int, str]]:
    """Classes for a map of countries shaded by a count: up to four (low, high, text)
    ranges, from the counts present, so every class has at least one country."""
    values = sorted({c for c in counts if c > 0})
    if not values:
        return []
    top = values[-1]
    if top <= 4:
        bounds = [(v, v) for v in range(1, top + 1)]
    else:
        # Breaks at 1, then doubling: 1, 2-3, 4-7, 8+ (counts of analyses are skewed).
        bounds = [(1, 1), (2, 3), (4, 7), (8, top)]
        bounds = [(lo, min(hi, top)) for lo, hi in bounds if lo <= top]
    out = []
    for lo, hi in bounds:
        if not any(lo <= v <= hi for v in values):
            continue
        name = noun[0] if lo == hi == 1 else noun[1]
        if lo == hi:
            text = f"{lo} {name}"
        elif hi == top and lo >= 8:
            text = f"{lo}+ {name}"
        else:
            text = f"{lo}\u2013{hi} {name}"
        out.append((lo, hi, text))
    return out
