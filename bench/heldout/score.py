"""Score `geopol extract --json` records against a labelled geoparsing set.

Importable (the benchmarks call it) and runnable:

    .venv/bin/geopol extract --json 'bench/heldout/[0-9]*.md' > /tmp/pred.jsonl
    .venv/bin/python bench/heldout/score.py /tmp/pred.jsonl          # JSON summary
    .venv/bin/python bench/heldout/score.py --extract                # runs the extractor itself
    .venv/bin/python bench/heldout/score.py --extract --set bench/devset --details

From Python:

    from bench.heldout.score import load_gold, score
    golds = load_gold()                       # this folder; load_gold(path) for another set
    summary = score(predictions, golds)       # predictions: the JSON dicts, one per article

Predictions are paired with gold articles by title (the JSON record has no source URL); a
gold article with no prediction counts as all misses. What is measured (see README.md):

- countries: P/R/F1 on ISO codes, and on primary countries alone;
- places: a predicted place matches a gold place when its `name` or `canonical` equals the
  gold `name` or an `also_written` form (case-insensitive, accents folded; "X region",
  "X province"... also match "X" for gold areas). Recognition P/R/F1 on those matches;
  resolution = matched places whose point is within 25 km (towns) or 150 km (anything with
  a `kind`) of the gold point, reported over gold places (`resolved_of_gold`) and over
  matches (`resolved_of_found`), for towns and areas apart;
- actors (organisations): predicted actors whose kind is not "person" against x-gold.actors,
  matched on the canonical name or any `as_written` string / `aliases_in_text` form;
- state forces: recall of the gold actors that carry `state_force`, and the share of those
  found whose predicted countries include that code;
- persons: predicted actors of kind "person" against x-gold.persons, matched the same way.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.metrics import great_circle_km, prf  # noqa: E402

TOWN_KM = 25.0
AREA_KM = 150.0
AREA_SUFFIX = re.compile(
    r" (region|province|oblast|prefecture|governorate|department|state|territory)$"
)


def fold(text: str) -> str:
    """Case-insensitive, accent-free, whitespace-normalised form of a name."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").lower().split())


def share(part: int, whole: int) -> dict:
    return {"share": round(part / whole, 3) if whole else None, "n": part, "of": whole}


def load_gold(folder: Path | str = HERE) -> list[dict]:
    """The articles of a labelled set: slug, source_url, title, published and gold labels."""
    articles = []
    for path in sorted(Path(folder).glob("[0-9][0-9]-*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))
        gold = meta.get("x-gold") or {}
        articles.append(
            {
                "slug": path.stem,
                "path": str(path),
                "source_url": meta.get("source_url"),
                "title": meta.get("title"),
                "region": meta.get("x-region"),
                "gold": {
                    "countries": gold.get("countries") or [],
                    "places": gold.get("places") or [],
                    "actors": gold.get("actors") or [],
                    "persons": gold.get("persons") or [],
                },
            }
        )
    return articles


def place_names(gold_place: dict) -> set[str]:
    return {fold(gold_place["name"]), *(fold(n) for n in gold_place.get("also_written") or [])}


def loose_names(gold_place: dict) -> set[str]:
    """For an area, "X region" / "X province" ... also accepts "X"."""
    if not gold_place.get("kind"):
        return set()
    return {AREA_SUFFIX.sub("", n) for n in place_names(gold_place)}


def within(pred: dict, gold_place: dict) -> bool:
    if pred.get("lat") is None or pred.get("lon") is None:
        return False
    limit = AREA_KM if gold_place.get("kind") else TOWN_KM
    return great_circle_km(pred["lat"], pred["lon"], gold_place["lat"], gold_place["lon"]) <= limit


def match_places(preds: list[dict], golds: list[dict]) -> tuple[list[tuple[dict, dict]], list]:
    """Greedy one-to-one matching by name (exact forms before "X region" for "X"); among
    gold places with the same name, the nearest wins."""
    names = [place_names(g) for g in golds]
    loose = [loose_names(g) for g in golds]
    free = set(range(len(golds)))
    pairs, unmatched = [], []
    for pred in preds:
        found = {fold(pred.get("name", "")), fold(pred.get("canonical") or "")}
        options = [i for i in free if names[i] & found] or [i for i in free if loose[i] & found]
        if not options:
            unmatched.append(pred)
            continue

        def distance(i: int, pred: dict = pred) -> float:
            if pred.get("lat") is None or pred.get("lon") is None:
                return float("inf")
            return great_circle_km(pred["lat"], pred["lon"], golds[i]["lat"], golds[i]["lon"])

        best = min(options, key=distance)
        free.discard(best)
        pairs.append((pred, golds[best]))
    return pairs, unmatched


def actor_forms(pred: dict) -> set[str]:
    return {fold(pred.get("name", "")), *(fold(a) for a in pred.get("aliases_in_text") or [])}


def match_named(preds: list[dict], golds: list[dict]) -> tuple[list[tuple[dict, dict]], list]:
    """One-to-one matching of predicted actors or persons to gold entries by name forms."""
    forms = [{fold(g["name"]), *(fold(a) for a in g.get("as_written") or [])} for g in golds]
    free = set(range(len(golds)))
    pairs, unmatched = [], []
    for pred in preds:
        found = actor_forms(pred)
        exact = [i for i in free if fold(golds[i]["name"]) == fold(pred.get("name", ""))]
        options = exact or [i for i in free if forms[i] & found]
        if not options:
            unmatched.append(pred)
            continue
        best = min(options)
        free.discard(best)
        pairs.append((pred, golds[best]))
    return pairs, unmatched


def score_countries(pred: dict, gold: dict, counts: dict[str, Counter]) -> dict:
    got = {c["code"] for c in pred.get("countries") or []}
    want = {c["code"] for c in gold["countries"]}
    got_p = {c["code"] for c in pred.get("countries") or [] if c.get("primary")}
    want_p = {c["code"] for c in gold["countries"] if c.get("primary")}
    counts["countries"].update(tp=len(got & want), fp=len(got - want), fn=len(want - got))
    counts["primary"].update(tp=len(got_p & want_p), fp=len(got_p - want_p), fn=len(want_p - got_p))
    return {"countries_fp": sorted(got - want), "countries_fn": sorted(want - got)}


def score_places(pred: dict, gold: dict, counts: dict[str, Counter]) -> dict:
    pairs, unmatched = match_places(pred.get("places") or [], gold["places"])
    counts["places"].update(tp=len(pairs), fp=len(unmatched), fn=len(gold["places"]) - len(pairs))
    wrong = []
    for kind in ("town", "area"):
        golds = [g for g in gold["places"] if bool(g.get("kind")) == (kind == "area")]
        found = [(p, g) for p, g in pairs if bool(g.get("kind")) == (kind == "area")]
        good = [(p, g) for p, g in found if within(p, g)]
        counts[f"{kind}s"].update(gold=len(golds), found=len(found), resolved=len(good))
        wrong += [
            f"{g['name']}->({p.get('lat')},{p.get('lon')})" for p, g in found if (p, g) not in good
        ]
    matched = {id(g) for _, g in pairs}
    return {
        "places_fp": [f"{p.get('name')}[{p.get('country')}]" for p in unmatched],
        "places_fn": [g["name"] for g in gold["places"] if id(g) not in matched],
        "places_misplaced": wrong,
    }


def score_actors(pred: dict, gold: dict, counts: dict[str, Counter]) -> dict:
    actors = [a for a in pred.get("actors") or [] if a.get("kind") != "person"]
    persons = [a for a in pred.get("actors") or [] if a.get("kind") == "person"]
    details = {}
    for key, preds, golds in (
        ("actors", actors, gold["actors"]),
        ("persons", persons, gold["persons"]),
    ):
        pairs, unmatched = match_named(preds, golds)
        counts[key].update(tp=len(pairs), fp=len(unmatched), fn=len(golds) - len(pairs))
        found = {id(g) for _, g in pairs}
        details[f"{key}_fp"] = [p.get("name") for p in unmatched]
        details[f"{key}_fn"] = [g["name"] for g in golds if id(g) not in found]
        if key == "actors":
            forces = [g for g in golds if g.get("state_force")]
            hits = [(p, g) for p, g in pairs if g.get("state_force")]
            right = [1 for p, g in hits if g["state_force"] in (p.get("countries") or [])]
            counts["state_forces"].update(gold=len(forces), found=len(hits), country=len(right))
        else:
            right = [
                1 for p, g in pairs if set(g.get("countries") or []) & set(p.get("countries") or [])
            ]
            counts["person_countries"].update(found=len(pairs), country=len(right))
    return details


def pair(predictions: list[dict], golds: list[dict]) -> list[tuple[dict, dict]]:
    """Each gold article with its prediction (by title; an empty record when missing)."""
    by_title = {fold(p.get("title", "")): p for p in predictions}
    return [(by_title.get(fold(g["title"]), {}), g) for g in golds]


def summarise(counts: dict[str, Counter], articles: int) -> dict:
    c = counts
    towns, areas = c["towns"], c["areas"]
    gold_places = towns["gold"] + areas["gold"]
    found = towns["found"] + areas["found"]
    resolved = towns["resolved"] + areas["resolved"]
    forces = c["state_forces"]
    return {
        "articles": articles,
        "countries": prf(**{k: c["countries"][k] for k in ("tp", "fp", "fn")}),
        "primary_countries": prf(**{k: c["primary"][k] for k in ("tp", "fp", "fn")}),
        "places": {
            "found": prf(**{k: c["places"][k] for k in ("tp", "fp", "fn")}),
            "resolved_of_gold": share(resolved, gold_places),
            "resolved_of_found": share(resolved, found),
            "towns": {
                "found": share(towns["found"], towns["gold"]),
                "resolved_25km": share(towns["resolved"], towns["gold"]),
            },
            "areas": {
                "found": share(areas["found"], areas["gold"]),
                "resolved_150km": share(areas["resolved"], areas["gold"]),
            },
        },
        "actors": prf(**{k: c["actors"][k] for k in ("tp", "fp", "fn")}),
        "state_forces": {
            "found": share(forces["found"], forces["gold"]),
            "with_country": share(forces["country"], forces["found"]),
        },
        "persons": prf(**{k: c["persons"][k] for k in ("tp", "fp", "fn")}),
        "person_countries": share(c["person_countries"]["country"], c["person_countries"]["found"]),
    }


def score(predictions: list[dict], golds: list[dict], details: bool = False) -> dict:
    """P/R/F1 of countries, places, actors and persons, and place resolution, over a set."""
    counts: dict[str, Counter] = {}
    for key in ("countries", "primary", "places", "towns", "areas", "actors", "persons"):
        counts[key] = Counter()
    counts["state_forces"], counts["person_countries"] = Counter(), Counter()
    per_article = []
    for pred, gold in pair(predictions, golds):
        record = {"slug": gold["slug"], "predicted": bool(pred)}
        record |= score_countries(pred, gold["gold"], counts)
        record |= score_places(pred, gold["gold"], counts)
        record |= score_actors(pred, gold["gold"], counts)
        per_article.append(record)
    summary = summarise(counts, len(golds))
    summary["unpaired_articles"] = [r["slug"] for r in per_article if not r["predicted"]]
    if details:
        summary["per_article"] = per_article
    return summary


def run_extract(folder: Path) -> list[dict]:
    """Run `geopol extract --json` on a set's article files and return its records."""
    files = [str(p) for p in sorted(folder.glob("[0-9][0-9]-*.md"))]
    geopol = Path(sys.executable).with_name("geopol")
    command = [str(geopol) if geopol.exists() else "geopol", "extract", "--json", *files]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description="Score geopol extract --json output.")
    parser.add_argument("predictions", nargs="?", help="JSON Lines from geopol extract --json")
    parser.add_argument("--extract", action="store_true", help="run geopol extract itself")
    parser.add_argument("--set", default=str(HERE), help="folder of the labelled set")
    parser.add_argument("--details", action="store_true", help="per-article misses")
    args = parser.parse_args()
    folder = Path(args.set)
    if args.extract:
        predictions = run_extract(folder)
    elif args.predictions:
        lines = Path(args.predictions).read_text(encoding="utf-8").splitlines()
        predictions = [json.loads(line) for line in lines if line.strip()]
    else:
        parser.error("give a predictions file or --extract")
    print(json.dumps(score(predictions, load_gold(folder), details=args.details), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
