"""Readable maps: text sizes as shown, the label budget, the legend, links. No database."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from geopol.geo import mapstyle
from geopol.geo.maps import MapPoint, MapSpec, render_svg, render_svgs
from geopol.geo.mapstyle import LegendRow, MapContents, label_budget, legend_rows, min_font

SVG = "{http://www.w3.org/2000/svg}"
MALI = [
    MapPoint("Bamako", 12.65, -8.0, "capital", href="/search/?q=Bamako"),
    MapPoint("Mopti", 14.49, -4.20, emphasis=2, href="/search/?q=Mopti"),
    MapPoint("Sevare", 14.53, -4.10, "approximate"),
    MapPoint("Konna", 14.94, -3.89),
    MapPoint("Douentza", 15.0, -2.95),
    MapPoint("Timbuktu", 16.77, -3.01),
    MapPoint("Lere", 15.71, -4.91),
    MapPoint("Gao", 16.27, -0.04),
    MapPoint("Kidal", 18.44, 1.41),
    MapPoint("Tessalit", 20.2, 1.0),
    MapPoint("Menaka", 15.9, 2.4),
    MapPoint("Segou", 13.43, -6.26),
    MapPoint("Kayes", 14.45, -11.44),
]


def texts_with_sizes(svg: str) -> list[tuple[str, float]]:
    """Every text of the SVG with the font size it is drawn at (its own or its group's)."""
    root = ET.fromstring(svg)
    found = []

    def walk(node: ET.Element, inherited: float | None) -> None:
        size = float(node.get("font-size", inherited or 0)) if node.get("font-size") else inherited
        if node.tag == f"{SVG}text":
            found.append(("".join(node.itertext()), size or 0.0))
        for child in node:
            walk(child, size)

    walk(root, None)
    return found


def test_min_font_is_11_px_as_shown():
    assert min_font(720, 720) == 11.0
    # a 360-unit map shown 340 px wide needs larger units to stay 11 px
    assert round(min_font(360, 340) * 340 / 360, 6) == 11.0
    assert min_font(720, None) == 11.0


def test_label_budget_follows_the_shown_width():
    assert label_budget(340) < label_budget(720)
    assert label_budget(340) == 8
    assert label_budget(100) == 3  # a tiny map still names its main places


def test_every_text_of_the_narrow_map_is_at_least_11_px_on_a_phone():
    spec = MapSpec(points=MALI, primary={"ML"}, secondary={"FR", "NE"}, note="A note here")
    narrow = render_svgs(spec).split("\n<svg", 1)[1]
    narrow = "<svg" + narrow
    sizes = texts_with_sizes(narrow)
    assert sizes, "the narrow map has text"
    shown = mapstyle.NARROW_DISPLAY / mapstyle.NARROW_WIDTH
    smallest = min(size for _, size in sizes)
    assert smallest * shown >= mapstyle.MIN_LABEL_PX - 1e-6, sizes


def test_a_narrow_map_carries_fewer_place_labels_not_smaller_ones():
    spec = MapSpec(points=MALI, primary={"ML"})
    wide, narrow = render_svgs(spec).split("\n<svg", 1)
    names = {p.label for p in MALI}
    wide_labels = [t for t, _ in texts_with_sizes(wide) if t in names]
    narrow_labels = [t for t, _ in texts_with_sizes("<svg" + narrow) if t in names]
    assert len(narrow_labels) < len(wide_labels)
    assert len(narrow_labels) <= label_budget(mapstyle.NARROW_DISPLAY)
    assert "Mopti" in narrow_labels  # the most mentioned place keeps its name


def test_legend_lists_only_the_styles_present():
    rows = legend_rows(MapContents(marker_kinds=frozenset({"place"}), primary=True))
    assert [r.key for r in rows] == ["primary", "place"]
    rows = legend_rows(
        MapContents(
            marker_kinds=frozenset({"place", "approximate"}),
            layer_legends=((0, "Held by armed groups"), (2, "Held by armed groups"), (3, "Front")),
            primary=True,
            secondary=True,
            primary_text="Countries of this analysis",
        )
    )
    assert rows == [
        LegendRow("layer:0", "Held by armed groups"),
        LegendRow("layer:3", "Front"),
        LegendRow("primary", "Countries of this analysis"),
        LegendRow("secondary", "Also mentioned"),
        LegendRow("place", "Place mentioned"),
        LegendRow("approximate", mapstyle.APPROXIMATE_TEXT),
    ]
    assert legend_rows(MapContents()) == []


def test_shaded_map_classes_cover_the_counts_present():
    assert [t for _, _, t in mapstyle.shade_classes([1, 2, 2])] == ["1 analysis", "2 analyses"]
    classes = mapstyle.shade_classes([1, 1, 3, 9, 20])
    assert [t for _, _, t in classes] == ["1 analysis", "2\u20133 analyses", "8+ analyses"]
    assert mapstyle.shade_classes([]) == []


def test_the_drawn_legend_matches_the_map():
    exact = render_svg(MapSpec(points=[MapPoint("Mopti", 14.49, -4.20)], primary={"ML"}))
    root = ET.fromstring(exact)
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "geomap-legend")
    assert ["".join(t.itertext()) for t in legend.iter(f"{SVG}text")] == [
        "Countries of this map",
        "Place mentioned",
    ]
    shaded = render_svg(MapSpec(shades={"ML": 1, "FR": 5}, bbox=(-180, -56, 180, 78)))
    assert "1 analysis" in shaded and "4\u20135 analyses" in shaded
    assert "Place mentioned" not in shaded


def test_countries_and_places_are_named_links():
    spec = MapSpec(
        points=MALI[:2],
        primary={"ML"},
        country_links={"ML": "/countries/mali/", "NE": "/countries/niger/"},
    )
    root = ET.fromstring(render_svg(spec))
    assert root.get("role") == "group"  # an "img" would hide its links
    focusable = {
        a.get("aria-label"): a.get("href")
        for a in root.iter(f"{SVG}a")
        if a.get("tabindex") != "-1"
    }
    assert focusable["Mali"] == "/countries/mali/"
    assert focusable["Mopti"] == "/search/?q=Mopti"
    # a neighbour is clickable but not a tab stop of its own
    niger = [a for a in root.iter(f"{SVG}a") if a.get("href") == "/countries/niger/"]
    assert niger and all(a.get("tabindex") == "-1" for a in niger)
