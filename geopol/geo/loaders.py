"""Fill the Region and Country tables from pycountry (ISO 3166-1) and the UN M49 sub-regions
in data/m49_subregions.csv (built by scripts/build_m49_subregions.py)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from geopol.core.text import make_slug
from geopol.geo.regions import COMMON_NAMES, REGIONS, analytic_region

M49_TABLE = Path(__file__).parent / "data" / "m49_subregions.csv"


def m49_subregions() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> UN M49 sub-region ("" for a few territories)."""
    with M49_TABLE.open(encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        return {row["code"]: row["m49_subregion"] for row in csv.DictReader(lines)}


def iso_countries() -> list[dict[str, Any]]:
    """Every ISO 3166-1 country as plain dicts, each with its analytic region slug."""
    import pycountry

    subregions = m49_subregions()
    rows = []
    for entry in pycountry.countries:
        code = entry.alpha_2
        subregion = subregions.get(code, "")  # overrides place the few without one
        name = COMMON_NAMES.get(code) or getattr(entry, "common_name", None) or entry.name
        rows.append(
            {
                "code": code,
                "alpha3": entry.alpha_3,
                "numeric": entry.numeric,
                "name": name,
                "official_name": getattr(entry, "official_name", "") or entry.name,
                "slug": make_slug(name),
                "m49_subregion": subregion,
                "region": analytic_region(code, subregion),
            }
        )
    return rows


def sync_regions_and_countries(region_model: Any, country_model: Any) -> None:
    """Create or update every region and country. Takes models so migrations can call it."""
    regions = {}
    for position, definition in enumerate(REGIONS):
        region, _ = region_model.objects.update_or_create(
            slug=definition.slug,
            defaults={
                "name": definition.name,
                "description": definition.description,
                "position": position,
            },
        )
        regions[definition.slug] = region
    for row in iso_countries():
        country_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "alpha3": row["alpha3"],
                "numeric": row["numeric"],
                "name": row["name"],
                "official_name": row["official_name"],
                "slug": row["slug"],
                "m49_subregion": row["m49_subregion"],
                "region": regions[row["region"]],
            },
        )
