"""Representative points of administrative areas, for the gazetteer. Pure; no ORM.

`data/admin/points.tsv` (built by scripts/build_admin_points.py from GeoNames data, see
data/admin/SOURCE.md) gives a point to every first-level region (state, province) and
second-level area (county, district) that has towns. ISO 3166-2 regions from pycountry have
names but no coordinates; `locate_regions` gives them the table's point by name, so "Texas"
or "Alberta" is drawn inside the region instead of at a namesake town (or nowhere).
`area_records` turns the second-level areas into places ("Laurel County", "Dorset").
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path
from typing import NamedTuple

from geopol.geo.gazetteer import PlaceRecord, fold_name

POINTS = Path(__file__).resolve().parent / "data" / "admin" / "points.tsv"
# words that name the kind of an area, not the area: "Mashonaland East Province" is
# "Mashonaland East", "Nyanza Province" is "Nyanza"
GENERIC_RE = re.compile(
    r"\b(province|region|state|oblast|governorate|department|prefecture|autonomous|"
    r"municipality|city|of|the|republic|krai|kray|county|district|territory|division|"
    r"wilayah|wilaya|voivodeship|ostan|muhafazah|sheng|shi|zizhiqu)\b"
)
# the part of a level-2 name that says what it is; kept as the place's kind
AREA_KIND_RE = re.compile(r"\b(county|parish|district|borough|municipality|prefecture)$")


class AreaPoint(NamedTuple):
    country: str
    level: int
    region: str
    area: str
    lat: float
    lon: float
    towns: int


def core_name(name: str) -> str:
    """The folded name without words saying what kind of area it is."""
    folded = fold_name(name).removeprefix("al ")
    return " ".join(GENERIC_RE.sub(" ", folded).split()) or folded


@functools.cache
def area_points(path: Path = POINTS) -> tuple[AreaPoint, ...]:
    if not path.exists():
        return ()
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split("\t")
        if len(cells) != 7:
            raise ValueError(f"{path}, line {number}: expected 7 tab-separated cells")
        country, level, region, area, lat, lon, towns = cells
        rows.append(
            AreaPoint(country, int(level), region, area, float(lat), float(lon), int(towns))
        )
    return tuple(rows)


def _region_points() -> dict[tuple[str, str], AreaPoint]:
    found: dict[tuple[str, str], AreaPoint] = {}
    for row in area_points():
        if row.level == 1:
            for key in {fold_name(row.region), core_name(row.region)}:
                current = found.get((row.country, key))
                if current is None or row.towns > current.towns:
                    found[(row.country, key)] = row
    return found


def locate_regions(admin1: dict[str, list[PlaceRecord]]) -> dict[str, list[PlaceRecord]]:
    """The ISO 3166-2 regions with the point of the same-named region of the table."""
    points = _region_points()
    located: dict[int, PlaceRecord] = {}
    for records in admin1.values():
        for record in records:
            if id(record) in located or record.kind != "admin1":
                continue
            row = points.get((record.country, fold_name(record.name))) or points.get(
                (record.country, core_name(record.name))
            )
            located[id(record)] = (
                dataclasses.replace(record, lat=row.lat, lon=row.lon) if row else record
            )
    return {key: [located.get(id(r), r) for r in records] for key, records in admin1.items()}


def _region_codes(admin1: dict[str, list[PlaceRecord]]) -> dict[tuple[str, str], str]:
    """(country, folded region name) -> the region's ISO 3166-2 code after the country's
    ("KY" of "US-KY"), from the ISO regions by name."""
    codes: dict[tuple[str, str], str] = {}
    for records in admin1.values():
        for record in records:
            if record.kind == "admin1" and "-" in record.admin1:
                suffix = record.admin1.split("-", 1)[1]
                for key in (fold_name(record.name), core_name(record.name)):
                    codes.setdefault((record.country, key), suffix)
    return codes


def area_records(
    admin1: dict[str, list[PlaceRecord]] | None = None,
) -> dict[str, list[PlaceRecord]]:
    """Second-level areas (counties, districts) by folded name, each with its region's ISO
    code when `admin1` (the ISO regions) names it: "Adair County" in Kentucky is told from
    the one in Iowa when the text names Kentucky."""
    codes = _region_codes(admin1 or {})
    found: dict[str, list[PlaceRecord]] = {}
    for row in area_points():
        if row.level != 2:
            continue
        kind = AREA_KIND_RE.search(fold_name(row.area))
        region = codes.get((row.country, fold_name(row.region))) or codes.get(
            (row.country, core_name(row.region)), ""
        )
        record = PlaceRecord(
            name=row.area,
            lat=row.lat,
            lon=row.lon,
            country=row.country,
            kind="admin",
            admin1=region,
            feature_kind=kind.group(1) if kind else "district",
        )
        found.setdefault(fold_name(row.area), []).append(record)
    return found


ABBREVIATIONS = Path(__file__).resolve().parent / "data" / "admin_abbreviations.yaml"


def abbreviation_key(written: str) -> tuple[str, str]:
    """The lookup key of an abbreviation as the matcher reads it, and how it must be
    written: "period" (Ky.: the matcher reads "Ky", the period must follow), "dotted" (B.C.:
    read with its dots) or "caps" (NSW)."""
    if written.endswith(".") and "." not in written[:-1]:
        return fold_name(written[:-1]), "period"
    if "." in written:
        return fold_name(written), "dotted"
    return fold_name(written), "caps"


def abbreviation_records(
    admin1: dict[str, list[PlaceRecord]], path: Path = ABBREVIATIONS
) -> tuple[dict[str, list[PlaceRecord]], dict[str, str]]:
    """Regions by abbreviation, and how each abbreviation must be written."""
    import yaml

    by_code = {r.admin1: r for records in admin1.values() for r in records if r.kind == "admin1"}
    found: dict[str, list[PlaceRecord]] = {}
    rules: dict[str, str] = {}
    for code, written in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
        record = by_code.get(code)
        if record is None:
            raise ValueError(f"{path}: {code} is no ISO 3166-2 region pycountry knows")
        for abbreviation in written:
            key, rule = abbreviation_key(abbreviation)
            found.setdefault(key, []).append(record)
            rules[key] = rule
    return found, rules
