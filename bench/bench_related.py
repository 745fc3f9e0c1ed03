"""Connected Content: quality on the labelled relatedness set and speed at scale; prints JSON.

Quality: the demo corpus and bench/relatedset/pieces imported through the real importer (with
geoparsing) into a throw-away data dir; for each of the set's 51 queries, the top 5 of the old
`Article.objects.connected_to` (shared countries, then newest: the reference, same run) and of
the related app's ranking as a member sees it (and as an anonymous reader, who may read
less), scored with nDCG@5 (bench/relatedset/README.md). Means over all queries, over the 18
demo queries and over the 33 piece queries apart. `--weights '{"text": 3}'` overrides
scoring.WEIGHTS, for tuning; tune on the demo queries only and report the pieces as held out.

Speed: N published articles from the generated corpus (bench/corpus.py, as bench_reindex.py
writes them: straight into the database, no importer) with actor and place tags in bulk
(Zipf-spread over a pool per country, as an archive's are), indexed by `reindex()`; then for
`--samples` articles drawn with a seed: computing an article's lists (all three kinds of
reader: tags, IDF, three "more like this" searches), and reading the kept list for a reader
(what an article page does on every request, pins and hides applied). p50/p99 in ms.

    .venv/bin/python bench/bench_related.py [--articles 100000] [--samples 200] [--skip-speed]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def machine() -> dict[str, object]:
    cpu = platform.processor()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _setup(folder: Path) -> None:
    os.environ["GEOPOL_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopol.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


# -- quality -------------------------------------------------------------------------------


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def quality(weights: dict[str, float]) -> dict:
    import io

    from django.core.management import call_command
    from relatedset.load import PIECES, PREFIXES, article_key, load, ndcg_at_k

    from geopol.articles.models import Article
    from geopol.related import scoring
    from geopol.related.models import Storyline
    from geopol.related.services import compute_lists

    scoring.WEIGHTS.update(weights)
    quiet = io.StringIO()
    call_command("load_demo", stdout=quiet, stderr=quiet)
    # the demo's storylines curated by hand (geopol/related/data/demo_storylines.json) would
    # hand the ranking one of the set's judgments: measured with the machine's alone
    Storyline.objects.filter(named_by_editor=True).delete()
    call_command("import_articles", str(PIECES), stdout=quiet, stderr=quiet)
    related = load()
    articles = {article_key(a.source_url or None, a.title): a for a in Article.objects.all()}
    keys = {a.pk: key for key, a in articles.items()}
    scores: dict[str, dict[str, list[float]]] = {}
    per_query = {}
    for query in related.queries:
        article = articles[query]
        grades = related.grades[query]
        lists = compute_lists(article)
        ranked = {
            "old_connected_to": [keys[a.pk] for a in Article.objects.connected_to(article)],
            "new_member": [keys[pk] for pk, _, _ in lists["member"][:5]],
            "new_anonymous": [keys[pk] for pk, _, _ in lists["anonymous"][:5]],
        }
        split = "pieces" if query.startswith(PREFIXES["set:"]) else "demo"
        per_query[query] = {}
        for system, top in ranked.items():
            value = ndcg_at_k(top, grades, k=5)
            per_query[query][system] = round(value, 3)
            for group in ("all", split):
                scores.setdefault(system, {}).setdefault(group, []).append(value)
    return {
        "queries": len(related.queries),
        "weights": scoring.WEIGHTS,
        "ndcg_at_5": {
            system: {group: _mean(values) for group, values in groups.items()}
            for system, groups in scores.items()
        },
        "per_query": per_query,
    }


# -- speed ---------------------------------------------------------------------------------

ACTORS_PER_COUNTRY = 12
PLACES_PER_COUNTRY = 40


def write_tags(n: int, seed: int) -> int:
    """Actor and place tags for articles 1..n: 2-8 actors and 3-12 places each, from pools
    per primary country, Zipf-spread (a few names in many articles, most in few)."""
    from django.db import transaction

    from geopol.articles.models import ArticleCountry
    from geopol.extraction.models import ArticleEntity

    rng = random.Random(seed)
    primary = dict(
        ArticleCountry.objects.filter(primary=True).values_list("article_id", "country_id")
    )
    weights_a = [1 / (i + 1) ** 1.1 for i in range(ACTORS_PER_COUNTRY)]
    weights_p = [1 / (i + 1) ** 1.1 for i in range(PLACES_PER_COUNTRY)]
    rows = 0
    for start in range(1, n + 1, 2000):
        batch = []
        for pk in range(start, min(start + 2000, n + 1)):
            code = primary.get(pk, "XX")
            actors = set(rng.choices(range(ACTORS_PER_COUNTRY), weights_a, k=rng.randint(2, 8)))
            places = set(rng.choices(range(PLACES_PER_COUNTRY), weights_p, k=rng.randint(3, 12)))
            batch += [
                ArticleEntity(
                    article_id=pk, kind="actor", key=f"{code}-actor-{i}", name=f"{code} Actor {i}"
                )
                for i in actors
            ]
            batch += [
                ArticleEntity(
                    article_id=pk, kind="place", key=f"{code}-place-{i}", name=f"{code} Place {i}"
                )
                for i in places
            ]
        with transaction.atomic():
            ArticleEntity.objects.bulk_create(batch)
        rows += len(batch)
    return rows


def speed(n: int, samples: int, seed: int) -> dict:
    from bench_reindex import timed_reindex, write_articles
    from corpus import CorpusGenerator, CorpusUnavailable

    try:
        generator = CorpusGenerator(seed)
    except CorpusUnavailable as error:
        return {"skipped": str(error)}
    from geopol.articles.models import Article
    from geopol.related.services import related_for, store_lists

    started = time.perf_counter()
    write_articles(generator, n)
    tags = write_tags(n, seed)
    written = time.perf_counter() - started
    indexed = timed_reindex()
    rng = random.Random(seed)
    picked = list(Article.objects.filter(pk__in=rng.sample(range(1, n + 1), samples)))
    compute, read, read_anonymous = [], [], []
    for article in picked:
        t = time.perf_counter()
        store_lists(article)
        compute.append(time.perf_counter() - t)
    for article in picked:
        t = time.perf_counter()
        related_for(article, reader="member")
        read.append(time.perf_counter() - t)
        t = time.perf_counter()
        related_for(article, reader="anonymous")
        read_anonymous.append(time.perf_counter() - t)
    return {
        "articles": n,
        "tags": tags,
        "writing_seconds": round(written, 1),
        "reindex": indexed,
        "samples": samples,
        "compute_lists_all_readers": _percentiles(compute),
        "related_for_member_kept": _percentiles(read),
        "related_for_anonymous_kept": _percentiles(read_anonymous),
        "target_p99_ms": 20,
    }


# -- driver --------------------------------------------------------------------------------


def _phase(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix=f"geopol-bench-related-{args.phase}-"))
    _setup(folder)
    if args.phase == "quality":
        result = quality(json.loads(args.weights or "{}"))
    else:
        result = speed(args.articles, args.samples, args.seed)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weights", default="", help="JSON overriding scoring.WEIGHTS")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--per-query", action="store_true", help="keep each query's nDCG@5")
    parser.add_argument("--phase", choices=("quality", "speed"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _phase(args)
        return
    result: dict[str, object] = {"benchmark": "related_v1", "machine": machine()}
    phases = ["quality"] + ([] if args.skip_speed else ["speed"])
    for phase in phases:
        command = [sys.executable, __file__, "--phase", phase, "--weights", args.weights]
        command += ["--articles", str(args.articles), "--samples", str(args.samples)]
        command += ["--seed", str(args.seed)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result[phase] = json.loads(out.strip().splitlines()[-1])
    if not args.per_query:
        result["quality"].pop("per_query", None)  # type: ignore[union-attr]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
