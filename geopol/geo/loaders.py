"""Fill the Region and Country tables from pycountry (ISO 3166-1) and countryinfo (UN M49)."""

from __future__ import annotations

from typing import Any

from geopol.core.text import make_slug
from geopol.geo.regions import COMMON_NAMES, REGIONS, analytic_region


def iso_countries() -> list[dict[str, Any]]:
    """Every ISO 3166-1 country as plain dicts, each with its analytic region slug."""
    import pycountry
    from countryinfo import CountryInfo

    rows = []
    for entry in pycountry.countries:
        code = entry.alpha_2
        try:
            subregion = CountryInfo(code).subregion() or ""
        except Exception:  # countryinfo lacks a few territories; overrides cover them
            subregion = ""
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
