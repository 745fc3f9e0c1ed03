"""Analytic regions: UN M49 sub-regions regrouped the way geopolitical analysts read the map.

Pure data and rules; no database. `analytic_region(code)` is the single source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegionDef:
    slug: str
    name: str
    description: str


REGIONS: tuple[RegionDef, ...] = (
    RegionDef(
        "sub-saharan-africa",
        "Sub-Saharan Africa",
        "Africa south of the Sahara, from the Sahel to the Cape.",
    ),
    RegionDef(
        "middle-east-north-africa",
        "Middle East & North Africa",
        "North Africa, the Levant, the Gulf, Iran and Turkey.",
    ),
    RegionDef("europe", "Europe", "The European Union, the Balkans, the Nordics and the UK."),
    RegionDef("eurasia", "Eurasia", "Russia, Ukraine, Belarus, the Caucasus and Central Asia."),
    RegionDef("south-asia", "South Asia", "The Indian subcontinent and Afghanistan."),
    RegionDef("east-asia", "East Asia", "Northeast and Southeast Asia."),
    RegionDef("oceania", "Oceania", "Australia, New Zealand and the Pacific islands."),
    RegionDef(
        "latin-america-caribbean",
        "Latin America & Caribbean",
        "Mexico, Central and South America and the Caribbean.",
    ),
    RegionDef(
        "north-america", "North America", "The United States, Canada and the North Atlantic."
    ),
)

# UN M49 sub-region -> analytic region (the names in data/m49_subregions.csv).
SUBREGION_TO_REGION = {
    "Sub-Saharan Africa": "sub-saharan-africa",
    "Northern Africa": "middle-east-north-africa",
    "Western Asia": "middle-east-north-africa",
    "Eastern Europe": "europe",
    "Northern Europe": "europe",
    "Southern Europe": "europe",
    "Western Europe": "europe",
    "Central Asia": "eurasia",
    "Southern Asia": "south-asia",
    "Eastern Asia": "east-asia",
    "South-eastern Asia": "east-asia",
    "Australia and New Zealand": "oceania",
    "Melanesia": "oceania",
    "Micronesia": "oceania",
    "Polynesia": "oceania",
    "Latin America and the Caribbean": "latin-america-caribbean",
    "Northern America": "north-america",
}

# Where analysts depart from M49: the former Soviet space is one theatre, Iran belongs with
# the Gulf, Cyprus with Europe; Antarctica and Heard Island have no M49 sub-region.
COUNTRY_OVERRIDES = {
    "RU": "eurasia",
    "BY": "eurasia",
    "UA": "eurasia",
    "MD": "eurasia",
    "AM": "eurasia",
    "AZ": "eurasia",
    "GE": "eurasia",
    "IR": "middle-east-north-africa",
    "CY": "europe",
    "AQ": "oceania",
    "HM": "oceania",
}

# Short names analysts use where ISO's are long or formal.
COMMON_NAMES = {
    "BO": "Bolivia",
    "BN": "Brunei",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "FM": "Micronesia",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "VE": "Venezuela",
    "VN": "Vietnam",
    "VA": "Vatican City",
    "GB": "United Kingdom",
    "US": "United States",
    "MK": "North Macedonia",
    "SH": "Saint Helena",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "BQ": "Caribbean Netherlands",
    "CC": "Cocos Islands",
    "FK": "Falkland Islands",
    "UM": "U.S. Minor Outlying Islands",
    "TF": "French Southern Territories",
    "HM": "Heard and McDonald Islands",
    "GS": "South Georgia and South Sandwich Islands",
    "IO": "British Indian Ocean Territory",
    "SJ": "Svalbard and Jan Mayen",
}


def analytic_region(code: str, m49_subregion: str) -> str:
    """The analytic region slug for an ISO 3166-1 alpha-2 code and its M49 sub-region."""
    if code in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[code]
    try:
        return SUBREGION_TO_REGION[m49_subregion]
    except KeyError:
        raise ValueError(
            f"{code}: no analytic region for M49 sub-region {m49_subregion!r}"
        ) from None
