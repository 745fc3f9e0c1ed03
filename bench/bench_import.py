"""Import, full reindex and search throughput on a synthetic corpus; prints JSON.

Reference measured in the same run: inserting the same texts straight into an FTS5 table
with sqlite3 (the floor for any design that keeps an FTS5 index).

    .venv/bin/python bench/bench_import.py [--articles N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "government military forces border election sanctions ceasefire talks minister "
    "president parliament coalition insurgents militia troops deployment offensive "
    "negotiations economy inflation currency oil gas pipeline port strait shipping "
    "drought famine refugees migration protest crackdown reform constitution court "
    "alliance summit treaty nuclear missile drone airstrike frontier region capital"
).split()
COUNTRIES = [
    "ML",
    "FR",
    "NE",
    "BF",
    "SD",
    "UA",
    "RU",
    "CN",
    "TW",
    "IN",
    "PK",
    "IR",
    "IL",
    "VE",
    "BR",
    "MX",
    "US",
    "AU",
    "FJ",
    "DE",
]


def synthetic(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        paragraphs = [
            " ".join(rng.choices(WORDS, k=rng.randint(60, 110))).capitalize() + "."
            for _ in range(5)
        ]
        articles.append(
            {
                "title": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} report {i}",
                "published": f"{rng.randint(2013, 2025)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
                "countries": rng.sample(COUNTRIES, k=rng.randint(1, 3)),
                "body": "\n\n".join(paragraphs),
                "source_url": f"https://bench.example/{i}",
            }
        )
    return articles


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="geopol-bench-")
    os.environ["GEOPOL_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "geopol.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from geopol.articles.importers import read_file
    from geopol.articles.search import search_articles
    from geopol.articles.services import import_articles

    corpus = synthetic(args.articles)
    path = Path(data_dir) / "bench.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in corpus))

    started = time.perf_counter()
    items = read_file(path, max_bytes=1 << 31)
    import_articles(items)
    import_seconds = time.perf_counter() - started

    from geopol.articles.management.commands.reindex_search import reindex

    started, cpu = time.perf_counter(), time.process_time()
    reindexed = reindex(progress=False)
    reindex_seconds = time.perf_counter() - started
    reindex_cpu = time.process_time() - cpu

    reference = sqlite3.connect(":memory:")
    reference.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    with reference:
        reference.executemany(
            "INSERT INTO t VALUES (?, ?)", [(a["title"], a["body"]) for a in corpus]
        )
    reference_seconds = time.perf_counter() - started

    rng = random.Random(11)
    queries = [rng.choice(WORDS) for _ in range(50)] + [
        f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(50)
    ]
    latencies, ref_latencies = [], []
    for query in queries:
        started = time.perf_counter()
        search_articles(query, limit=10)
        latencies.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        reference.execute(
            "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10",
            [" AND ".join(f'"{w}"' for w in query.split())],
        ).fetchall()
        ref_latencies.append((time.perf_counter() - started) * 1000)

    result = {
        "benchmark": "import_and_search_v0",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "sqlite": sqlite3.sqlite_version,
        },
        "articles": args.articles,
        "import": {
            "seconds": round(import_seconds, 2),
            "articles_per_second": round(args.articles / import_seconds, 1),
            "reference_fts5_insert_per_second": round(args.articles / reference_seconds, 1),
            "ratio_to_reference": round(import_seconds / reference_seconds, 1),
        },
        "reindex": {
            "articles": reindexed,
            "seconds": round(reindex_seconds, 2),
            "cpu_seconds": round(reindex_cpu, 2),
            "articles_per_second": round(reindexed / reindex_seconds, 1),
            "projected_minutes_for_1M": round(1_000_000 / (reindexed / reindex_seconds) / 60, 1),
            "target_minutes_for_1M": 15,
        },
        "search_ms": {
            "queries": len(queries),
            "p50": round(statistics.median(latencies), 2),
            "p99": round(percentile(latencies, 0.99), 2),
            "reference_p50": round(statistics.median(ref_latencies), 2),
            "reference_p99": round(percentile(ref_latencies, 0.99), 2),
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
