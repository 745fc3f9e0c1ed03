"""Server-side maps: the SVG locator map, its GeoJSON twin and the committed shapes.

No database: maps.py is pure Python over geopol/geo/data/world/countries.json.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from geopol.geo import maplabels
from geopol.geo.maplayers import validate_layers
from geopol.geo.maps import MapPoint, MapSpec, geojson, render_svg, view_for
from geopol.geo.projection import contains, mercator_y
from geopol.geo.svgparts import PRIMARY_FILL
from geopol.geo.worldshapes import DETAILED, country, parts

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[3]

MALI_PLACES = [
    MapPoint("Bamako", 12.65, -8.0, "capital"),
    MapPoint("Mopti", 14.49, -4.20),
    MapPoint("Sevare", 14.53, -4.10),
    MapPoint("Konna", 14.94, -3.89),
    MapPoint("Douentza", 15.0, -2.95),
    MapPoint("Timbuktu", 16.77, -3.01),
    MapPoint("Lere", 15.71, -4.91),
]

LAYERS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {
                "legend": "Held by armed groups",
                "label": "Armed groups",
                "fill": "#b5651d",
                "style": "hatch",
            },
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[-5.5, 15.3], [0.5, 15.0], [4.2, 19.5], [-2.0, 24.5], [-5.5, 15.3]]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"legend": "Front line", "style": "front"},
            "geometry": {
                "type": "LineString",
                "coordinates": [[-5.5, 15.3], [-3.9, 15.1], [0.5, 15.0]],
            },
        },
        {
            "type": "Feature",
            "properties": {"name": "Advance on Konna", "arrow": True, "stroke": "#8a1c1c"},
            "geometry": {"type": "LineString", "coordinates": [[-3.2, 16.4], [-3.89, 15.0]]},
        },
    ],
}


def mali_spec(**overrides: object) -> MapSpec:
    values: dict[str, object] = {
        "points": list(MALI_PLACES),
        "primary": {"ML"},
        "title": "Mali Jihadist Battlefield",
    }
    values.update(overrides)
    return MapSpec(**values)  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return x, y, w, h


# -- the Mali case ---------------------------------------------------------------------


def test_mali_map_labels_every_place_and_shades_mali():
    root = parse(render_svg(mali_spec()))
    labels = texts(root)
    for place in MALI_PLACES:
        assert place.label in labels
    assert "MALI" in labels
    shaded = [
        path
        for group in root.iter(f"{SVG}g")
        if group.get("fill") == PRIMARY_FILL
        for path in group.iter(f"{SVG}path")
    ]
    assert [p.findtext(f"{SVG}title") for p in shaded] == ["Mali"]
    assert len(shaded[0].get("d", "")) > 500  # a real outline, not a placeholder


def test_mali_map_frames_west_africa():
    spec = mali_spec()
    root = parse(render_svg(spec))
    _, _, width, height = view_box(root)
    view = view_for(spec)
    for place in MALI_PLACES:
        x, y = view.point(place.lon, place.lat)
        assert 0 < x < width and 0 < y < height, place.label
    west, south, east, north = view.bbox()
    mali = country("ML")
    assert mali is not None
    mw, ms, me, mn = mali.bbox
    assert west < mw and me < east and south < ms and mn < north  # all of Mali is shown
    assert west > -30 and east < 25 and south > -5 and north < 35  # and not the world


def test_svg_is_accessible_and_lists_places():
    root = parse(render_svg(mali_spec()))
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "Mali Jihadist Battlefield"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "Bamako" in desc and "Timbuktu" in desc and "Shaded: Mali" in desc
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert set(root.get("aria-labelledby", "").split()) <= ids
    assert "Natural Earth" in texts(root)


def test_neighbours_are_named_and_a_scale_bar_is_drawn():
    root = parse(render_svg(mali_spec()))
    labels = texts(root)
    assert {"MAURITANIA", "BURKINA FASO"} <= set(labels)
    assert any(re.fullmatch(r"[\d,]+ km", t) for t in labels)


def test_single_town_is_shown_with_its_surroundings():
    spec = MapSpec(points=[MapPoint("Goma", -1.68, 29.23)])
    west, south, east, north = view_for(spec).bbox()
    assert 4 <= east - west <= 12
    assert 3 <= north - south <= 12


# -- safety ----------------------------------------------------------------------------


def test_hostile_labels_are_escaped():
    hostile = '<script>alert("x")</script> & "co"'
    spec = MapSpec(
        points=[MapPoint(hostile, 33.5, 36.3), MapPoint("Dam\x00as\x1bcus", 33.51, 36.29)],
        primary={"SY"},
        title="</title><script>alert(1)</script>",
        note="<b>bold</b>",
    )
    svg = render_svg(spec)
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)  # control characters would make this raise
    assert hostile in texts(root)
    assert "Damascus" in texts(root)
    assert root.findtext(f"{SVG}title") == "</title><script>alert(1)</script>"


def test_hostile_layer_properties_cannot_inject_markup():
    layers = json.loads(json.dumps(LAYERS))
    layers["features"][0]["properties"].update(
        {"fill": '"/><script>alert(1)</script>', "legend": "<img src=x onerror=alert(1)>"}
    )
    svg = render_svg(mali_spec(layers=layers))
    assert "<script" not in svg and "<img" not in svg
    root = parse(svg)
    assert "<img src=x onerror=alert(1)>" in texts(root)


def test_unusable_coordinates_are_left_off_the_map():
    spec = MapSpec(
        points=[MapPoint("Nowhere", float("nan"), 3.0), MapPoint("Beyond", 95.0, 3.0)],
        note="No places resolved for this analysis",
    )
    root = parse(render_svg(spec))
    assert "Nowhere" not in texts(root) and "Beyond" not in texts(root)
    west, _, east, _ = view_for(spec).bbox()
    assert east - west == pytest.approx(360)  # the world, as for no places at all


# -- never empty -----------------------------------------------------------------------


def test_map_without_places_shows_the_world_with_the_note():
    spec = MapSpec(note="No places resolved for this analysis")
    root = parse(render_svg(spec))
    assert "No places resolved for this analysis" in texts(root)
    west, _, east, _ = view_for(spec).bbox()
    assert east - west == pytest.approx(360)
    outlines = [p for p in root.iter(f"{SVG}path") if p.findtext(f"{SVG}title")]
    assert len(outlines) > 150


def test_map_without_places_but_with_countries_frames_them():
    spec = MapSpec(primary={"ML"}, note="No places resolved for this analysis")
    root = parse(render_svg(spec))
    assert "No places resolved for this analysis" in texts(root)
    assert "MALI" in texts(root)
    west, _, east, _ = view_for(spec).bbox()
    assert east - west < 60


def test_secondary_then_fallback_countries_frame_the_map():
    region = MapSpec(secondary={"ML", "NE", "BF"})
    west, _, east, _ = view_for(region).bbox()
    assert west > -20 and east < 25
    fallback = MapSpec(fallback={"FR"})
    west, _, east, _ = view_for(fallback).bbox()
    assert west > -15 and east < 20


# -- determinism and ids ---------------------------------------------------------------


def test_output_is_deterministic():
    assert render_svg(mali_spec(layers=LAYERS)) == render_svg(mali_spec(layers=LAYERS))


def test_output_does_not_depend_on_set_order_or_hash_seed():
    script = (
        "import hashlib\n"
        "from geopol.geo.maps import MapPoint, MapSpec, render_svg\n"
        "spec = MapSpec(points=[MapPoint('Mopti', 14.49, -4.2)], primary={'ML', 'NE', 'BF'},\n"
        "               secondary={'FR', 'DZ', 'MR', 'SN'})\n"
        "print(hashlib.sha256(render_svg(spec).encode()).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_two_maps_on_one_page_do_not_share_ids():
    first = parse(render_svg(mali_spec(layers=LAYERS)))
    second = parse(render_svg(MapSpec(points=[MapPoint("Goma", -1.68, 29.23)])))
    ids_first = {el.get("id") for el in first.iter() if el.get("id")}
    ids_second = {el.get("id") for el in second.iter() if el.get("id")}
    assert ids_first and not ids_first & ids_second
    # Every url(#...) reference points at an element of the same map.
    for root, ids in ((first, ids_first), (second, ids_second)):
        refs = {m for el in root.iter() for v in el.attrib.values() for m in _refs(v)}
        assert refs <= ids


def _refs(value: str) -> list[str]:
    return re.findall(r"url\(#([^)]+)\)", value)


# -- authored layers -------------------------------------------------------------------


def test_authored_layers_are_drawn_with_a_legend():
    svg = render_svg(mali_spec(layers=LAYERS))
    root = parse(svg)
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "geomap-legend")
    entries = texts(legend)
    assert entries == [
        "Held by armed groups",
        "Front line",
        "Advance on Konna",
        "Countries of this map",
        "Place mentioned",
        "Capital",
    ]
    assert "Armed groups" in texts(root)  # the area's label, on the map
    dashed = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert dashed, "the front line is dashed"
    heads = [p for p in root.iter(f"{SVG}polygon") if p.get("fill") == "#8a1c1c"]
    assert len(heads) >= 2  # the arrowhead on the map and in the legend
    hatched = [p for p in root.iter(f"{SVG}path") if (p.get("fill") or "").startswith("url(#")]
    assert hatched, "the hatch style fills the area with a pattern"


def test_layers_count_when_framing_the_map():
    far = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Gao"},
                "geometry": {"type": "Point", "coordinates": [-0.04, 16.27]},
            }
        ],
    }
    spec = MapSpec(points=[MapPoint("Bamako", 12.65, -8.0)], layers=far)
    west, _, east, _ = view_for(spec).bbox()
    assert west < -8.0 and east > -0.04


def test_invalid_layers_are_reported_and_skipped():
    layers = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Swapped"},
                "geometry": {"type": "Point", "coordinates": [14.5, -190.0]},
            },
            {"type": "Feature", "properties": {}, "geometry": {"type": "Circle"}},
            LAYERS["features"][1],
        ],
    }
    errors = validate_layers(layers)
    assert len(errors) == 2
    assert errors[0].startswith("feature 1 ('Swapped')") and "longitude first" in errors[0]
    assert errors[1].startswith("feature 2") and "Polygon" in errors[1]
    assert validate_layers(LAYERS) == []
    assert validate_layers({"type": "Feature"}) != []
    root = parse(render_svg(mali_spec(layers=layers)))  # the valid feature still draws
    assert any(p.get("stroke-dasharray") for p in root.iter(f"{SVG}path"))


# -- GeoJSON ---------------------------------------------------------------------------


def test_geojson_has_the_places_the_layers_and_the_svg_frame():
    spec = mali_spec(layers=LAYERS)
    data = geojson(spec)
    assert data["type"] == "FeatureCollection"
    places = [f for f in data["features"] if f["properties"]["role"] == "place"]
    assert [f["properties"]["label"] for f in places] == [p.label for p in MALI_PLACES]
    assert places[0]["geometry"] == {"type": "Point", "coordinates": [-8.0, 12.65]}
    layers = [f for f in data["features"] if f["properties"]["role"] == "layer"]
    assert [f["geometry"]["type"] for f in layers] == [
        "MultiPolygon",
        "MultiLineString",
        "MultiLineString",
    ]
    assert layers[1]["properties"]["style"] == "front" and layers[2]["properties"]["arrow"]
    assert data["bbox"] == pytest.approx(list(view_for(spec).bbox()))
    assert data["primary"] == ["ML"]
    json.dumps(data)  # serialisable as is


# -- geography -------------------------------------------------------------------------


def test_view_across_the_antimeridian_stays_regional():
    spec = MapSpec(points=[MapPoint("Anadyr", 64.73, 177.5), MapPoint("Nome", 64.5, -165.4)])
    view = view_for(spec)
    west, _, east, _ = view.bbox()
    assert east - west < 60
    for lon in (177.5, -165.4):
        x, _ = view.point(lon, 64.6)
        assert 0 < x < view.width
    assert {"Anadyr", "Nome"} <= set(texts(parse(render_svg(spec))))
    assert geojson(spec)["bbox"][0] > geojson(spec)["bbox"][2]  # RFC 7946 crossing box


def test_crimea_is_drawn_as_part_of_ukraine():
    simferopol = (34.1, mercator_y(44.95))

    def holds(code: str) -> bool:
        return any(contains(part.rings[0], *simferopol) for part in parts(code, DETAILED))

    assert holds("UA") and not holds("RU")


def test_country_focus_is_the_main_body():
    france, usa = country("FR"), country("US")
    assert france is not None and usa is not None
    assert france.focus[0] > -6 and france.bbox[0] < -50  # French Guiana is not the focus
    assert usa.focus[1] > 24 and usa.focus[3] < 50  # nor Alaska and Hawaii
    assert country("xk") is not None  # Kosovo has a shape under its common code


def test_shading_cyprus_shades_the_north_without_naming_it():
    root = parse(render_svg(MapSpec(primary={"CY"})))
    shaded = {
        p.findtext(f"{SVG}title")
        for g in root.iter(f"{SVG}g")
        if g.get("fill") == PRIMARY_FILL
        for p in g.iter(f"{SVG}path")
    }
    assert shaded == {"Cyprus", "N. Cyprus"}
    assert "N. CYPRUS" not in texts(root)


# -- labels ----------------------------------------------------------------------------


def test_crowded_labels_never_overlap_and_stay_in_the_frame():
    placer = maplabels.Placer(300, 200)
    markers = [(150.0, 100.0), (158.0, 101.0), (166.0, 99.0), (294.0, 100.0)]
    jobs = []
    for x, y in markers:
        placer.block((x - 5, y - 5, x + 5, y + 5))
        jobs.append(maplabels.around_marker(x, y, 4.5, 40, 11))
    spots = maplabels.place_in_order(placer, jobs)
    boxes = [spot[0] for spot in spots if spot]
    assert len(boxes) == 4
    for i, box in enumerate(boxes):
        assert box[0] >= 0 and box[2] <= 300 and box[1] >= 0 and box[3] <= 200
        assert not any(maplabels.overlaps(box, other) for other in boxes[i + 1 :])
    assert spots[3] is not None and spots[3][1] == "end"  # at the right edge: label on the left


# -- the committed data and the script that builds it ----------------------------------


def load_build_script():
    path = REPO / "scripts" / "build_world_shapes.py"
    spec = importlib.util.spec_from_file_location("build_world_shapes", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_topojson_decoding_handles_deltas_and_reversed_arcs():
    build = load_build_script()
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [-10, 20]},
        # Two arcs, quantized and delta-encoded; together they close a triangle.
        "arcs": [[[0, 0], [4, 0], [0, 4]], [[0, 0], [4, 4]]],
    }
    arcs = build.decode_arcs(topology)
    assert arcs[0] == [(-10.0, 20.0), (-8.0, 20.0), (-8.0, 21.0)]
    # Arc 1 reversed (~1 == -2) runs from (-8, 21) back to (-10, 20).
    polygon = build.geometry_polygons({"type": "Polygon", "arcs": [[0, ~1]]}, arcs)
    assert polygon == [[[(-10.0, 20.0), (-8.0, 20.0), (-8.0, 21.0), (-10.0, 20.0)]]]
    ring = build.quantize(polygon[0][0])
    assert build.encode(ring) == [-1000, 2000, 200, 0, 0, 100]


def test_committed_shapes_are_small_and_documented():
    folder = REPO / "geopol" / "geo" / "data" / "world"
    data_file = folder / "countries.json"
    assert data_file.stat().st_size < 1_500_000
    source = (folder / "SOURCE.md").read_text(encoding="utf-8")
    assert "world-atlas" in source and "2.0.2" in source and "public domain" in source
    assert "build_world_shapes.py" in source


def test_approximate_places_get_a_ring_and_a_legend():
    """A place known only by its region is drawn as a dashed ring, and the map says what the
    ring means; a map with exact places only needs no such key."""
    from geopol.geo.mapstyle import APPROXIMATE_TEXT as APPROXIMATE_LEGEND

    rough = render_svg(
        MapSpec(
            points=[MapPoint("Mopti", 14.49, -4.20), MapPoint("Sevare", 14.5, -4.1, "approximate")],
            primary={"ML"},
        )
    )
    assert APPROXIMATE_LEGEND in rough
    assert 'stroke-dasharray="2 1.6"' in rough  # the ring marker itself
    exact = render_svg(MapSpec(points=[MapPoint("Mopti", 14.49, -4.20)], primary={"ML"}))
    assert APPROXIMATE_LEGEND not in exact
