"""The rule that places a region's point (scripts/build_admin_points.py): the middle of its
towns' extent, outlying groups set aside, on one of its towns."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_admin_points.py"
spec = importlib.util.spec_from_file_location("build_admin_points", SCRIPT)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_an_outlying_group_of_towns_is_set_aside_like_one_town():
    mainland = [float(i % 5) for i in range(40)]  # 0..4
    assert build.extent([*mainland, 12.0]) == (0.0, 4.0)
    assert build.extent([*mainland, 12.0, 12.3]) == (0.0, 4.0)  # two islands close together


def test_the_point_is_a_town_near_the_middle_of_the_extent_not_of_the_crowd():
    crowded_east = [(30.0, -95.0 + i * 0.01) for i in range(50)]
    spread_west = [(31.0 + 0.1 * i, -104.0 + 0.9 * i) for i in range(10)]
    lat, lon = build.representative(crowded_east + spread_west)
    assert (lat, lon) in spread_west  # one of the region's towns
    assert -100.5 < lon < -98.0  # the middle of -104 .. -94.5, not the crowd at -95


def test_a_region_across_the_antimeridian_is_measured_in_one_piece():
    towns = [(-17.8, 177.4), (-18.1, 178.4), (-16.8, 179.3), (-17.5, -179.9)]
    # the middle of 177.4 .. 180.1 east, not of -179.9 .. 179.3 (near Greenwich)
    assert build.representative(towns) == (-18.1, 178.4)
