"""Build geopol/geo/data/m49_subregions.csv: the UN M49 sub-region of every ISO 3166-1 country.

The sub-region is the one fact Geopol used the countryinfo package for (its analytic regions
start from it, geo/regions.py), so the table is committed and countryinfo is no longer a
dependency. Source: countryinfo 1.0.1 (https://github.com/porimol/countryinfo, MIT licence),
whose "subregion" values follow the UN M49 standard (UN Statistics Division, "Standard
country or area codes for statistical use"). Countries countryinfo does not know get an
empty sub-region; geo/regions.py's COUNTRY_OVERRIDES place them.

    .venv/bin/pip install countryinfo==1.0.1
    .venv/bin/python scripts/build_m49_subregions.py
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "geopol" / "geo" / "data" / "m49_subregions.csv"


def main() -> None:
    import pycountry
    from countryinfo import CountryInfo

    rows = []
    for entry in sorted(pycountry.countries, key=lambda e: e.alpha_2):
        try:
            subregion = CountryInfo(entry.alpha_2).subregion() or ""
        except Exception:  # countryinfo lacks a few territories
            subregion = ""
        rows.append((entry.alpha_2, subregion))
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write("# UN M49 sub-region by ISO 3166-1 alpha-2 code; built by scripts/build_m49_subregions.py\n")
        f.write("# from countryinfo 1.0.1 (MIT licence), after the UN M49 standard\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "m49_subregion"])
        writer.writerows(rows)
    print(f"{len(rows)} countries -> {OUT}")


if __name__ == "__main__":
    main()
