"""Geoparsing quality and speed; prints JSON.

1. Quality on the labelled development set (bench/devset: original articles with gold
   countries, places with coordinates, actors): precision, recall, F1. A place counts as
   found when the extractor returns a place within 25 km of the gold point; an actor when the
   registry entry the gold name belongs to is found, or, for an organisation the registry
   lacks, when one found by its shape in the text ("text:" ids) is written as a gold form.
2. Real text nobody here wrote: the UN General Debate speeches (../shared/data/ungdc, skipped
   when absent): how often the speaker's country is among the primary countries.
3. Speed: text per second through `extract` without NER on one core (reference measured in
   the same run: a bare regex tokenisation of the same text, the floor for any pipeline that
   reads every word), gazetteer load time and resident memory in a fresh process, the
   persons and actor registries' load time, and the time to import articles with extraction.

    .venv/bin/python bench/bench_extract.py [--speeches N] [--import-articles N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "bench" / "devset"
sys.path.insert(0, str(ROOT))

from bench.metrics import prf  # noqa: E402


def shared(relative: str) -> Path | None:
    for base in (os.environ.get("GEOPOL_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if base and (Path(base) / relative).exists():
            return Path(base) / relative
    return None


GENERIC_SUFFIX_RE = re.compile(r" (region|province|state|oblast|department|governorate|valley)$")
AREA_KINDS = {"feature", "region", "admin1", "admin", "sea", "strait", "province", "state"}


def place_matches(place, gold: dict, fold_name) -> bool:
    from geopol.extraction.pipeline import distance_km

    """The right place: within 25 km of the gold point; for an area (sea, region, disputed
    territory), whose representative point is a convention, the same name."""
    if (
        place.lat is not None
        and place.lon is not None
        and (distance_km((place.lat, place.lon), (gold["lat"], gold["lon"])) <= 25)
    ):
        return True
    area = place.kind != "city" or gold.get("kind") not in (None, "city", "town")
    names = {fold_name(gold["name"]), *(fold_name(n) for n in gold.get("also_written") or [])}
    # "the Mopti region" is found as "Mopti" (a region): the same area
    names |= {GENERIC_SUFFIX_RE.sub("", n) for n in names}
    found = {fold_name(place.name), fold_name(place.canonical)}
    found |= {GENERIC_SUFFIX_RE.sub("", n) for n in found}
    return area and bool(found & names)


def evaluate_devset(gazetteer, actors, verbose: bool) -> dict:
    import yaml

    from geopol.articles.importers import read_file
    from geopol.articles.rendering import FigureView, render_body_and_text
    from geopol.extraction.pipeline import extract
    from geopol.geo.gazetteer import fold_name

    counts = {k: Counter() for k in ("countries", "primary", "places", "actors")}
    misses: list[dict] = []
    files = sorted(p for p in DEVSET.glob("*.md") if p.name != "README.md")
    for path in files:
        meta = yaml.safe_load(path.read_text().split("---")[1])
        gold = meta["x-gold"]
        [data] = read_file(path, 10_000_000)
        _, text = render_body_and_text(
            data.body, [FigureView(f.key, f.kind, f.caption) for f in data.figures]
        )
        result = extract(text, gazetteer, actors, title=data.title)
        got = {c.code for c in result.countries}
        want = {c["code"] for c in gold.get("countries") or []}
        counts["countries"].update(tp=len(got & want), fp=len(got - want), fn=len(want - got))
        got_primary = {c.code for c in result.countries if c.primary}
        want_primary = {c["code"] for c in gold.get("countries") or [] if c.get("primary")}
        counts["primary"].update(
            tp=len(got_primary & want_primary),
            fp=len(got_primary - want_primary),
            fn=len(want_primary - got_primary),
        )
        gold_places = gold.get("places") or []
        matched = set()
        place_fp = []
        for place in result.places:
            hit = next(
                (
                    i
                    for i, g in enumerate(gold_places)
                    if i not in matched and place_matches(place, g, fold_name)
                ),
                None,
            )
            if hit is None:
                place_fp.append(f"{place.name}->{place.canonical}[{place.country}]")
            else:
                matched.add(hit)
        place_fn = [g["name"] for i, g in enumerate(gold_places) if i not in matched]
        counts["places"].update(tp=len(matched), fp=len(place_fp), fn=len(place_fn))
        want_actors = set()
        for actor in gold.get("actors") or []:
            ids = actors.aliases.get(fold_name(actor["name"])) or ()
            for written in actor.get("as_written") or []:
                ids = (
                    ids
                    or actors.acronyms.get(written)
                    or actors.aliases.get(fold_name(written))
                    or ()
                )
            want_actors.add(ids[0] if ids else "?" + actor["name"])
        # the dev set labels organisations, not persons (bench/devset/README.md): persons are
        # scored on the held-out set, which labels them
        # an organisation the registry lacks, found by its shape ("text:" ids), is the gold
        # actor the registry lacks that it is written as
        unregistered = {
            fold_name(form): "?" + actor["name"]
            for actor in gold.get("actors") or []
            if "?" + actor["name"] in want_actors
            for form in (actor["name"], *(actor.get("as_written") or []))
        }
        got_actors = {
            next(
                (
                    unregistered[fold_name(form)]
                    for form in (a.name, *a.aliases_in_text)
                    if fold_name(form) in unregistered
                ),
                a.id,
            )
            if a.id.startswith("text:")
            else a.id
            for a in result.actors
            if a.kind != "person"
        }
        counts["actors"].update(
            tp=len(got_actors & want_actors),
            fp=len(got_actors - want_actors),
            fn=len(want_actors - got_actors),
        )
        if verbose:
            misses.append(
                {
                    "file": path.name,
                    "countries_fp": sorted(got - want),
                    "countries_fn": sorted(want - got),
                    "primary_fp": sorted(got_primary - want_primary),
                    "primary_fn": sorted(want_primary - got_primary),
                    "places_fp": place_fp,
                    "places_fn": place_fn,
                    "actors_fp": sorted(got_actors - want_actors),
                    "actors_fn": sorted(want_actors - got_actors),
                }
            )
    report = {"articles": len(files)}
    for name, c in counts.items():
        report[name] = prf(c["tp"], c["fp"], c["fn"])
    if verbose:
        report["misses"] = [m for m in misses if any(v for k, v in m.items() if k != "file")]
    return report


def evaluate_ungdc(gazetteer, actors, limit: int | None) -> dict:
    import pycountry

    from geopol.extraction.pipeline import extract

    path = shared("data/ungdc/speeches-2010-2024.jsonl")
    if path is None:
        return {"skipped": "../shared/data/ungdc not found"}
    total = hits = 0
    failures: Counter[str] = Counter()
    characters = 0
    seconds = 0.0
    reference_seconds = 0.0
    word = re.compile(r"\w+")
    with path.open() as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                break
            record = json.loads(line)
            country = pycountry.countries.get(alpha_3=record["country_iso3"])
            if country is None:
                continue
            text = record["text"]
            characters += len(text.encode())
            started = time.process_time()  # CPU time: fair on a machine doing other work
            result = extract(text, gazetteer, actors)
            seconds += time.process_time() - started
            started = time.process_time()
            sum(1 for _ in word.finditer(text))
            reference_seconds += time.process_time() - started
            total += 1
            if country.alpha_2 in {c.code for c in result.countries if c.primary}:
                hits += 1
            else:
                failures[record["country_iso3"]] += 1
    return {
        "speeches": total,
        "speaker_country_primary": round(hits / total, 4) if total else None,
        "most_missed": failures.most_common(12),
        "megabytes": round(characters / 1e6, 1),
        "mb_per_second_cpu": round(characters / 1e6 / seconds, 2) if seconds else None,
        "reference_tokenise_mb_per_second_cpu": round(characters / 1e6 / reference_seconds, 1)
        if reference_seconds
        else None,
    }


def gazetteer_startup() -> dict:
    # Peak resident memory of the child itself: on Linux ru_maxrss survives fork and exec,
    # so it would report this (larger) benchmark process instead; VmHWM is the child's own.
    code = (
        "import re, resource, time; t = time.perf_counter()\n"
        "from geopol.geo.gazetteer import base_gazetteer; base_gazetteer()\n"
        "seconds = time.perf_counter() - t\n"
        "try:\n"
        "    status = open('/proc/self/status').read()\n"
        "    kb = int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
        "except (OSError, AttributeError):\n"
        "    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(seconds, kb / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    return {"seconds": round(float(out[0]), 2), "max_rss_mb": round(float(out[1]))}


def registry_startup() -> dict:
    """Loading the persons registry (data/persons/*.yaml, checked entry by entry) and the whole
    actor registry in a fresh process: what every worker pays once."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from geopol.extraction.persons import persons_from_file; n = len(persons_from_file())\n"
        "persons = time.perf_counter() - t\n"
        "from geopol.extraction.actors import ActorIndex, full_registry\n"
        "index = ActorIndex.build(list(full_registry()))\n"
        "print(n, persons, time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    return {
        "persons": int(out[0]),
        "persons_seconds": round(float(out[1]), 3),
        "all_actors_indexed_seconds": round(float(out[2]), 3),
    }


def import_with_extraction(count: int) -> dict:
    """Import `count` articles (the demo corpus, repeated under new identities)."""
    from geopol.articles.importers import read_file
    from geopol.articles.services import import_articles

    demo = sorted((ROOT / "geopol/articles/demo").rglob("*"))
    base = []
    for path in demo:
        if (
            path.is_file()
            and path.suffix in (".md", ".jsonl", ".txt", ".html")
            and path.name != "README.md"
        ):
            base.extend(read_file(path, 10_000_000))
    items = []
    for n in range(count):
        item = base[n % len(base)]
        copy = type(item)(**{**item.__dict__})
        copy.source_url = f"https://bench.example/{n}"
        copy.slug = f"bench-{n}"
        items.append(copy)
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, count, 200):
        import_articles(items[start : start + 200])
    seconds = time.perf_counter() - started
    # CPU time of this process: what the import costs when other work shares the machine
    # (wall time also waits for the other processes and for the disk)
    cpu_seconds = time.process_time() - cpu_started
    return {
        "articles": count,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "articles_per_second": round(count / seconds, 1),
        "projected_10000_seconds": round(seconds * 10_000 / count, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--speeches", type=int, default=None, help="limit the UNGDC run")
    parser.add_argument("--import-articles", type=int, default=2000)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()

    os.environ["GEOPOL_DATA_DIR"] = tempfile.mkdtemp(prefix="geopol-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "geopol.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from geopol.extraction.services import current_actors, current_gazetteer

    geonames = shared("data/geonames")
    if geonames is not None:
        with open(os.devnull, "w") as quiet:
            dumps = [str(p) for p in sorted(geonames.glob("*.txt"))]
            call_command("load_gazetteer", *dumps, stdout=quiet)
    gazetteer, actors = current_gazetteer(), current_actors()
    result = {
        "benchmark": "extraction",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "gazetteer_extra_dumps": sorted(p.name for p in geonames.glob("*.txt")) if geonames else [],
        "actors_in_registry": len(actors.by_id),
        "devset": evaluate_devset(gazetteer, actors, args.verbose),
        "ungdc": evaluate_ungdc(gazetteer, actors, args.speeches),
        "gazetteer_startup": gazetteer_startup(),
        "registry_startup": registry_startup(),
        "import_with_extraction": import_with_extraction(args.import_articles),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
