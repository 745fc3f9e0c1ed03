"""Where a common word's bm25 statement spends its time, in variants of the FTS5 backend's
plan; prints JSON. A one-off probe for whoever changes the plan (not part of `make bench`).

Builds an index of --docs documents (bench/corpus.py) with the backend, then for a few common
words, with and without the parser's word-family prefix: CPU ms (best of 5) of the count, the
rank-window cutoff, the title-phrase matches, bm25 over the backend's candidates (`rowid >=
cutoff OR rowid IN (title matches)`), bm25 over the rowid range alone, the same candidates as
a UNION ALL, and bm25 over every match; with EXPLAIN QUERY PLAN of the first two.

    .venv/bin/python bench/search_plans.py [--docs 30000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_search
from corpus import CorpusGenerator, CorpusUnavailable

TABLE = "search_fts"
COLUMNS = "{title teaser body body_registered body_members}"
SCORE = f"bm25({TABLE}, 10.0, 4.0, 1.0, 1.0, 1.0, 0.0)"
WINDOW = 2000
PROBES = (
    ("nations", '("nations" OR "nation"*)'),
    ("nations", '"nations"'),
    ("countries", '("countries" OR "countri"*)'),
    ("countries", '"countries"'),
    ("support", '"support"'),
)


def best_cpu_ms(cursor, sql: str, params: list, repeat: int = 5) -> tuple[float, list]:
    best, rows = float("inf"), []
    for _ in range(repeat):
        started = time.thread_time()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        best = min(best, time.thread_time() - started)
    return round(best * 1000, 2), rows


def probe(cursor, word: str, expression: str) -> dict:
    match = f"{COLUMNS} : ({expression})"
    where = f"{TABLE} MATCH %s"
    count_ms, rows = best_cpu_ms(cursor, f"SELECT count(*) FROM {TABLE} WHERE {where}", [match])
    cutoff_ms, rows_cut = best_cpu_ms(
        cursor,
        f"SELECT rowid FROM {TABLE} WHERE {where} ORDER BY rowid DESC LIMIT 1 OFFSET {WINDOW - 1}",
        [match],
    )
    cutoff = rows_cut[0][0] if rows_cut else 0
    title_ms, titled = best_cpu_ms(
        cursor,
        f"SELECT rowid FROM {TABLE} WHERE {where} ORDER BY rowid DESC LIMIT {WINDOW}",
        [f'({match}) AND {{title}} : "{word}"'],
    )
    extra = ", ".join(str(r[0]) for r in titled if r[0] < cutoff) or "0"
    either = (
        f"SELECT rowid, {SCORE} AS s FROM {TABLE} WHERE {where} "
        f"AND (rowid >= %s OR rowid IN ({extra})) ORDER BY s LIMIT 10"
    )
    window = (
        f"SELECT rowid, {SCORE} AS s FROM {TABLE} WHERE {where} AND rowid >= %s ORDER BY s LIMIT 10"
    )
    union = (
        f"SELECT * FROM (SELECT rowid, {SCORE} AS s FROM {TABLE} WHERE {where} AND rowid >= %s "
        f"UNION ALL SELECT rowid, {SCORE} AS s FROM {TABLE} WHERE {where} "
        f"AND rowid IN ({extra}) AND rowid < %s) ORDER BY s LIMIT 10"
    )
    every = f"SELECT rowid, {SCORE} AS s FROM {TABLE} WHERE {where} ORDER BY s LIMIT 10"
    either_ms, either_rows = best_cpu_ms(cursor, either, [match, cutoff])
    window_ms, _ = best_cpu_ms(cursor, window, [match, cutoff])
    union_ms, union_rows = best_cpu_ms(cursor, union, [match, cutoff, match, cutoff], repeat=1)
    every_ms, _ = best_cpu_ms(cursor, every, [match], repeat=2)
    plans = {}
    for name, sql in (("candidates", either), ("window_only", window)):
        cursor.execute("EXPLAIN QUERY PLAN " + sql, [match, cutoff])
        plans[name] = [row[-1] for row in cursor.fetchall()]
    return {
        "expression": expression,
        "matches": rows[0][0],
        "title_matches_beyond_window": extra.count(",") + (extra != "0"),
        "cpu_ms": {
            "count": count_ms,
            "cutoff": cutoff_ms,
            "title_phrase": title_ms,
            "bm25_candidates_or": either_ms,
            "bm25_window_only": window_ms,
            "bm25_candidates_union_all": union_ms,
            "bm25_every_match": every_ms,
        },
        "union_same_top_10": [r[0] for r in either_rows] == [r[0] for r in union_rows],
        "plans": plans,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    try:
        generator = CorpusGenerator(args.seed)
    except CorpusUnavailable as error:
        print(f"search-plans skipped: {error}", file=sys.stderr)
        return
    data_dir = Path(tempfile.mkdtemp(prefix="geopol-search-plans-"))
    try:
        bench_search.setup_django(data_dir)
        from django.db import connection

        from geopol.search.backends import get_backend

        build = bench_search.build_sqlite(get_backend(), generator, args.docs, 1000)
        with connection.cursor() as cursor:
            probes = [probe(cursor, word, expression) for word, expression in PROBES]
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps({"documents": args.docs, "build": build, "probes": probes}, indent=2))


if __name__ == "__main__":
    main()
