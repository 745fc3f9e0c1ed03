"""Search speed at scale: geopol's SQLite FTS5 and PostgreSQL backends against tantivy;
prints JSON.

Builds the indexes from the same generated corpus (bench/corpus.py, from the UN General
Debate speeches and the demo corpus): SQLite through `SQLiteFTS5Backend.index` in batches,
each its own transaction, in a throw-away GEOPOL_DATA_DIR; PostgreSQL through
`PostgresSearchBackend.index` the same way, in a throw-away database (geopol_bench_<pid>) on
the server at GEOPOL_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres;
skipped, with the reason in the JSON, when it does not answer); tantivy (the reference engine,
measured in the same run) with title/teaser/body text fields boosted like geopol's bm25
weights and raw fast fields for filters and facet counts, written by one indexing thread.

Then 200 queries of five kinds (a common word, a rare word, two words, a phrase, a word with a
country and a date range), drawn from the corpus vocabulary with a seed; each asks for the top
10 with snippets and facet counts (region, country, type, topic, year), as a member who may
read every tier. Every query runs once to warm the caches, then once timed (wall and CPU
time of this thread and, for PostgreSQL, of the server process answering; the machine is
shared, so the ratios to tantivy are what to compare). Each backend goes through its public
`search(SearchRequest)`; the time of each SQL statement it runs is recorded to show where
the time goes.

Then it checks that the bounded ranking plan never loses an exact title match (titles of
documents picked with the seed, searched verbatim, must come back first) and times
suggestions as one types (`suggest()` for 1-4 letters of title words and of country, region
and topic names, which are what the corpus has to complete).

    .venv/bin/python bench/bench_search.py [--docs 100000] [--queries 200] [--seed 1]
        [--backends sqlite,postgres]
    .venv/bin/python bench/bench_search.py --reuse DIR [--docs N]   # a kept SQLite index

Statement times run until a statement's first row: one that streams its rows (a newest-first
walk, scoring every match of a small set) is under-counted; the per-query times are whole.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import NOW, STOP_WORDS, WORD_RE, CorpusGenerator, CorpusUnavailable  # noqa: E402
from search_postgres import ALIAS as POSTGRES  # noqa: E402

FACETS = ("region", "country", "type", "topic", "year")
TIERS = frozenset({"public", "registered", "members"})
KINDS = ("common_word", "rare_word", "two_words", "phrase", "word_country_dates")
BOOSTS = {"title": 10.0, "teaser": 4.0}  # as geopol's bm25 column weights (body 1)
TITLE_CHECKS = 20
SLOW_SHOWN = 5
BACKENDS = ("sqlite", "postgres")
SUGGEST_PREFIXES = 200


def log(message: str) -> None:
    print(f"[bench-search {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(percentile(values, 0.95), 2),
        "p99": round(percentile(values, 0.99), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> dict[str, object]:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor()
    import tantivy

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "tantivy": getattr(tantivy, "__version__", "unknown"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# -- queries -------------------------------------------------------------------------------


def make_queries(generator: CorpusGenerator, n: int, seed: int) -> list[dict]:
    """`n` queries, the five kinds in turn. Each is {kind, text, words, phrase, country,
    year_from, year_to}; `text` is what a member would type."""
    rng = random.Random(seed)
    sources = generator.sources
    counts = sources.word_counts
    words = sources.content_words
    common = words[:40]
    middle = words[40:3000]
    rare = [w for w in words if 3 <= counts[w] <= 12 and len(w) >= 5]
    queries = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        query: dict = {"kind": kind, "phrase": False, "country": None}
        if kind == "common_word":
            query["words"] = [rng.choice(common)]
        elif kind == "rare_word":
            query["words"] = [rng.choice(rare)]
        elif kind == "two_words":
            query["words"] = rng.sample(middle, 2)
        elif kind == "phrase":
            query["words"], query["phrase"] = _phrase(rng, sources), True
        else:
            query["words"] = [rng.choice(words[:500])]
            query["country"] = generator.country(rng)
            query["year_from"] = rng.randint(1995, 2024)
            query["year_to"] = min(NOW.year, query["year_from"] + rng.randint(0, 4))
        text = " ".join(query["words"])
        if query["phrase"]:
            text = f'"{text}"'
        if query["country"]:
            text += f" country:{query['country']} from:{query['year_from']} to:{query['year_to']}"
        query["text"] = text
        queries.append(query)
    return queries


def _phrase(rng: random.Random, sources) -> list[str]:
    """Two or three consecutive words of a speech sentence, the first and last not stop
    words ("climate change", "rule of law")."""
    while True:
        sentence = sources.sentences[rng.randrange(sources.speech_sentences)]
        found = [w.lower() for w in WORD_RE.findall(sentence)]
        size = rng.choice((2, 2, 3))
        if len(found) <= size:
            continue
        start = rng.randrange(len(found) - size)
        span = found[start : start + size]
        if span[0] not in STOP_WORDS and span[-1] not in STOP_WORDS and all(map(str.isascii, span)):
            return span


# -- SQLite FTS5 through geopol's backend ----------------------------------------------------


def setup_django(data_dir: Path, prepare=None) -> None:
    """Settings for a throw-away data dir; `prepare()` runs after the settings load and
    before Django sets up (to add a database)."""
    os.environ["GEOPOL_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "geopol.settings"
    import django

    if prepare:
        prepare()

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_sqlite(backend, generator, n: int, batch: int) -> dict:
    from corpus import batches
    from django.db import connection, transaction

    with transaction.atomic():
        backend.setup()
    wall = cpu = 0.0
    started = time.perf_counter()
    for i, docs in enumerate(batches(generator.documents(n), batch)):
        t0, c0 = time.perf_counter(), time.thread_time()
        with transaction.atomic():
            backend.index(docs, new=True)
        wall += time.perf_counter() - t0
        cpu += time.thread_time() - c0
        if (i + 1) % max(1, 20_000 // batch) == 0:
            done = (i + 1) * batch
            log(f"sqlite: {done:,} indexed, {done / wall:,.0f} docs/s in index()")
    total = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "documents": n,
        "batch": batch,
        "index_seconds": round(wall, 1),
        "index_cpu_seconds": round(cpu, 1),
        "docs_per_second": round(n / wall),
        "docs_per_cpu_second": round(n / cpu),
        "seconds_with_generation": round(total, 1),
    }


def bare_fts5_rate(generator, data_dir: Path, count: int) -> dict:
    """The floor for any design that keeps an FTS5 index: the first `count` documents'
    title, teaser and body inserted straight into one FTS5 table (same tokenizer, on disk,
    batches of 1,000 per transaction) with sqlite3."""
    from corpus import batches

    path = data_dir / "bare-fts5.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, teaser, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    wall = cpu = 0.0
    for docs in batches(generator.documents(count), 1000):
        rows = [(d.id, d.title, d.teaser, d.body) for d in docs]
        t0, c0 = time.perf_counter(), time.thread_time()
        with db:
            db.executemany("INSERT INTO t (rowid, title, teaser, body) VALUES (?, ?, ?, ?)", rows)
        wall += time.perf_counter() - t0
        cpu += time.thread_time() - c0
    db.close()
    path.unlink()
    return {
        "documents": count,
        "docs_per_second": round(count / wall),
        "docs_per_cpu_second": round(count / cpu),
    }


def update_rate(backend, generator, n: int, count: int, using: str = "default", clock=None) -> dict:
    """Re-index `count` existing documents (new=False: each replaces its old entry), as an
    edit or a re-import does; CPU time includes the server process's when `clock` gives it."""
    from django.db import transaction

    docs = [generator.document(i) for i in range(max(1, n - count + 1), n + 1)]
    s0 = clock.seconds() if clock else 0.0
    t0, c0 = time.perf_counter(), time.thread_time()
    for start in range(0, len(docs), 500):
        with transaction.atomic(using=using):
            backend.index(docs[start : start + 500])
    wall, cpu = time.perf_counter() - t0, time.thread_time() - c0
    cpu += (clock.seconds() - s0) if clock else 0.0
    return {
        "documents": len(docs),
        "docs_per_second": round(len(docs) / wall),
        "docs_per_cpu_second": round(len(docs) / cpu),
    }


class StatementTimer:
    """A Django execute wrapper timing each SQL statement the backend runs."""

    SQLITE_LABELS = (
        ("visible_from >", "hidden (scheduled) keys"),
        ("SELECT count(*) FROM search_sample", "estimated count (sample)"),
        ("SELECT count(*)", "count matches"),
        ("search_title_terms", "title phrase matches"),
        ("LIMIT 1 OFFSET", "rank window cutoff"),
        ("title_key =", "exact title lookup"),
        ("{title} :", "title phrase matches"),
        ("bm25(", "bm25 over candidates"),
        ("highlight(", "highlights and snippets"),
        ("search_doc_facets", "facet counts"),
        ("search_facet_values", "facet value codes"),
        ("ORDER BY rowid DESC", "newest matches (count, window)"),
    )
    POSTGRES_LABELS = (
        ("EXPLAIN", "planner estimate of the matches"),
        ("ts_rank", "rank candidates"),
        ("ts_headline", "highlights and snippets"),
        ("tsv_title @@", "title phrase matches"),
        ("title_key = %s AND", "exact title lookup"),
        ("FROM n WHERE total <=", "walk: count, newest, facet counts"),
        ("ARRAY(SELECT key FROM m", "sampled walk: count and facet counts"),
        ("ARRAY(SELECT key FROM c", "phrase check on a sample: count and facet counts"),
        ("SELECT c.doc_id FROM c JOIN", "phrase check on the newest"),
        ("ORDER BY key DESC, doc_id DESC", "newest window"),
        ("search_pg_facet_values", "facet value codes"),
        ("to_tsquery", "parse tsquery"),
        ("current_setting", "planner settings"),
        ("set_config", "planner settings"),
    )

    def __init__(self, labels=SQLITE_LABELS) -> None:
        self.labels = labels
        self.calls: list[tuple[str, float]] = []

    def label(self, sql: str, params) -> str:
        text = sql + " " + " ".join(str(p) for p in params or () if isinstance(p, str))
        return next((name for key, name in self.labels if key in text), "other")

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((self.label(sql, params), (time.perf_counter() - t0) * 1000))


def sqlite_request(query: dict):
    from geopol.search.backends.base import SearchRequest
    from geopol.search.query import parse_query

    parsed = parse_query(query["text"])
    filters: dict[str, list[str]] = defaultdict(list)
    for name, value in parsed.filters:
        filters[name].append(value.upper() if name == "country" else value)
    return SearchRequest(
        query=parsed,
        filters=dict(filters),
        date_from=parsed.date_from,
        date_to=parsed.date_to,
        tiers=TIERS,
        now=NOW,
        facets=FACETS,
        limit=10,
    )


def run_queries(backend, queries: list[dict], using: str = "default", clock=None) -> list[dict]:
    """Each query once to warm, then once timed; `clock` (PostgreSQL) gives the server
    process's CPU seconds, added to this thread's in `cpu_ms`."""
    from django.db import connections

    requests = [sqlite_request(q) for q in queries]
    for request in requests:  # warm
        backend.search(request)
    labels = StatementTimer.POSTGRES_LABELS if clock else StatementTimer.SQLITE_LABELS
    rows = []
    for query, request in zip(queries, requests, strict=True):
        timer = StatementTimer(labels)
        server = 0.0
        with connections[using].execute_wrapper(timer):
            s0 = clock.seconds() if clock else 0.0
            t0, c0 = time.perf_counter(), time.thread_time()
            results = backend.search(request)
            wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
            if clock:
                server = (clock.seconds() - s0) * 1000
        steps: dict[str, float] = defaultdict(float)
        for label, ms in timer.calls:
            steps[label] += ms
        rows.append(
            {
                "kind": query["kind"],
                "text": query["text"],
                "ms": wall,
                "cpu_ms": cpu + server,
                "client_cpu_ms": cpu,
                "server_cpu_ms": server,
                "total": results.total,
                "facets_estimated": results.facets_estimated,
                "facet_values": sum(len(v) for v in results.facets.values()),
                # the parser adds `OR "base"*` for long words ("intervene" -> "interven"*)
                "word_family_prefix": any(t.family for c in request.query.clauses for t in c),
                "steps": {k: round(v, 2) for k, v in steps.items()},
            }
        )
    return rows


def check_titles(backend, generator, n: int, seed: int) -> dict:
    """Titles searched verbatim must come back first (or behind a document with the very
    same title)."""
    import html

    from geopol.search.query import title_key

    rng = random.Random(seed + 1)
    failures, checked = [], 0
    for doc_id in rng.sample(range(1, n + 1), min(TITLE_CHECKS, n)):
        doc = generator.document(doc_id)
        request = sqlite_request({"text": doc.title})
        t0 = time.perf_counter()
        results = backend.search(request)
        ms = (time.perf_counter() - t0) * 1000
        checked += 1
        first = results.hits[0] if results.hits else None
        first_title = html.unescape(re.sub(r"</?mark>", "", first.title_html)) if first else ""
        same = first is not None and (
            first.id == doc.id or title_key(first_title) == title_key(doc.title)
        )
        if not same:
            position = next((i for i, h in enumerate(results.hits) if h.id == doc.id), None)
            failures.append(
                {
                    "id": doc.id,
                    "title": doc.title,
                    "matches": results.total,
                    "position_in_top_10": position,
                    "first_hit": first_title,
                    "ms": round(ms, 1),
                }
            )
    return {"checked": checked, "first": checked - len(failures), "failures": failures}


# -- tantivy, the reference ---------------------------------------------------------------------


def tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in ("title", "teaser", "body"):
        builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
    for name in FACETS:
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    builder.add_integer_field("published", stored=False, indexed=True, fast=True)
    return builder.build()


def build_tantivy(path: Path, generator, n: int) -> tuple[object, dict]:
    import tantivy

    schema = tantivy_schema()
    index = tantivy.Index(schema, path=str(path))
    # one indexing thread, like the single SQLite writer
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    generation = generation_cpu = 0.0
    t0, c0 = time.perf_counter(), time.process_time()
    documents = generator.documents(n)
    for i in range(n):
        g0, gc0 = time.perf_counter(), time.thread_time()
        doc = next(documents)
        generation += time.perf_counter() - g0
        generation_cpu += time.thread_time() - gc0
        writer.add_document(
            tantivy.Document(
                id=doc.id,
                title=doc.title,
                teaser=doc.teaser,
                body=doc.body,
                published=int(doc.published.timestamp()),
                **{name: list(doc.facets[name]) for name in FACETS},
            )
        )
        if (i + 1) % 100_000 == 0:
            log(f"tantivy: {i + 1:,} added")
    writer.commit()
    writer.wait_merging_threads()
    wall = time.perf_counter() - t0 - generation
    cpu = time.process_time() - c0 - generation_cpu  # every thread, less the generation
    index.reload()
    return index, {
        "documents": n,
        "index_seconds": round(wall, 1),
        "index_cpu_seconds": round(cpu, 1),
        "docs_per_cpu_second": round(n / cpu),
        "docs_per_second": round(n / wall),
        "writer_threads": 1,
    }


def tantivy_query(index, query: dict):
    import tantivy

    schema = index.schema
    text = " ".join(query["words"])
    if query["phrase"]:
        text = f'"{text}"'
    words = index.parse_query(
        text, ["title", "teaser", "body"], field_boosts=BOOSTS, conjunction_by_default=True
    )
    if not query["country"]:
        return words
    start = int(dt.datetime(query["year_from"], 1, 1, tzinfo=dt.UTC).timestamp())
    end = int(dt.datetime(query["year_to"] + 1, 1, 1, tzinfo=dt.UTC).timestamp())
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, words),
            (tantivy.Occur.Must, tantivy.Query.term_query(schema, "country", query["country"])),
            (
                tantivy.Occur.Must,
                tantivy.Query.range_query(
                    schema, "published", tantivy.FieldType.Integer, start, end, True, False
                ),
            ),
        ]
    )


AGGREGATIONS = {name: {"terms": {"field": name, "size": 300}} for name in FACETS}


def tantivy_search(index, searcher, query) -> tuple[int, int]:
    """Top 10 with stored fields, a body snippet each, the count and the facet counts."""
    import tantivy

    result = searcher.search(query, 10, count=True)
    snippets = tantivy.SnippetGenerator.create(searcher, query, index.schema, "body")
    for _, address in result.hits:
        doc = searcher.doc(address)
        snippets.snippet_from_doc(doc).to_html()
    facets = searcher.aggregate(query, AGGREGATIONS)
    return result.count, sum(len(f.get("buckets", [])) for f in facets.values())


def run_tantivy(index, queries: list[dict]) -> list[dict]:
    searcher = index.searcher()
    built = [tantivy_query(index, q) for q in queries]
    for query in built:  # warm
        tantivy_search(index, searcher, query)
    rows = []
    for query, q in zip(queries, built, strict=True):
        t0, c0 = time.perf_counter(), time.process_time()
        total, facet_values = tantivy_search(index, searcher, q)
        wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        rows.append(
            {
                "kind": query["kind"],
                "ms": wall,
                "cpu_ms": cpu,
                "total": total,
                "facet_values": facet_values,
            }
        )
    return rows


# -- report --------------------------------------------------------------------------------


def latency_report(rows: list[dict]) -> dict:
    report = {}
    for kind in (*KINDS, "overall"):
        chosen = [r for r in rows if kind in (r["kind"], "overall")]
        report[kind] = {
            **summary([r["ms"] for r in chosen]),
            "cpu_p50": round(statistics.median(r["cpu_ms"] for r in chosen), 2),
            "cpu_p99": round(percentile([r["cpu_ms"] for r in chosen], 0.99), 2),
            "cpu_max": round(max(r["cpu_ms"] for r in chosen), 2),
            "median_matches": int(statistics.median(r["total"] for r in chosen)),
        }
    report["over_1s"] = sum(r["ms"] > 1000 for r in rows)
    return report


def ratios(sqlite: dict, reference: dict) -> dict:
    out = {}
    for kind in (*KINDS, "overall"):
        out[kind] = {
            k: round(sqlite[kind][k] / max(reference[kind][k], 0.001), 1)
            for k in ("p50", "p95", "p99", "cpu_p50", "cpu_p99")
        }
    return out


def where_time_goes(rows: list[dict]) -> dict:
    """Per kind, the mean milliseconds of each kind of SQL statement; and the slowest
    queries with their statements."""
    per_kind: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        chosen = [r for r in rows if r["kind"] == kind]
        steps: dict[str, float] = defaultdict(float)
        for r in chosen:
            for label, ms in r["steps"].items():
                steps[label] += ms / len(chosen)
        per_kind[kind] = {k: round(v, 2) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])}
    family: dict[str, dict] = {}
    for kind in KINDS:
        family[kind] = {}
        for label, flag in (("with", True), ("without", False)):
            chosen = [r for r in rows if r["kind"] == kind and r["word_family_prefix"] == flag]
            if chosen:
                family[kind][label] = {
                    "n": len(chosen),
                    "p50": round(statistics.median(r["ms"] for r in chosen), 2),
                    "cpu_p50": round(statistics.median(r["cpu_ms"] for r in chosen), 2),
                    "median_matches": int(statistics.median(r["total"] for r in chosen)),
                }
    slowest = sorted(rows, key=lambda r: -r["ms"])[:SLOW_SHOWN]
    return {
        "mean_ms_per_statement_kind": per_kind,
        "word_family_prefix": family,
        "slowest": [
            {k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items()} for r in slowest
        ],
    }


# the latency targets, ms: (p50 at 100k, p99 at 100k, p99 at 1M); None: no target
LATENCY_TARGETS = {"sqlite": (10, 50, 200), "postgres": (20, 100, None)}
SUGGEST_TARGET_MS = 50


def targets(docs: int, latency: dict, build: dict | None, backend: str = "sqlite") -> dict:
    """Wall time decides; CPU time is shown beside it (on a busy machine it is what the
    query itself cost). `build` None: an index reused from an earlier run, no build rate."""
    overall = latency["overall"]
    found: dict[str, dict] = {}
    p50_100k, p99_100k, p99_1m = LATENCY_TARGETS[backend]

    def latency_target(name: str, q: str, limit: float) -> None:
        found[name] = {
            "value": overall[q],
            "cpu": overall[f"cpu_{q}"],
            "met": overall[q] <= limit,
            "met_in_cpu_time": overall[f"cpu_{q}"] <= limit,
        }

    if docs <= 100_000:
        latency_target(f"p50_le_{p50_100k}ms_at_100k", "p50", p50_100k)
        latency_target(f"p99_le_{p99_100k}ms_at_100k", "p99", p99_100k)
    elif p99_1m:
        latency_target(f"p99_le_{p99_1m}ms_at_1m", "p99", p99_1m)
    if build:
        found.update(build_targets(docs, build, backend))
    found["no_query_over_1s"] = {
        "value_max_ms": overall["max"],
        "cpu_max_ms": overall["cpu_max"],
        "met": overall["max"] <= 1000,
        "met_in_cpu_time": overall["cpu_max"] <= 1000,
    }
    return found


def build_targets(docs: int, build: dict, backend: str) -> dict:
    found: dict[str, dict] = {}
    # a full reindex of 1M in under 15 minutes, extrapolated from this build's rate
    minutes = 1_000_000 / build["docs_per_second"] / 60
    cpu_minutes = 1_000_000 / build["docs_per_cpu_second"] / 60
    found["reindex_1m_under_15_min"] = {
        "value_minutes": round(minutes, 1),
        "cpu_minutes": round(cpu_minutes, 1),
        "met": minutes < 15,
        "met_in_cpu_time": cpu_minutes < 15,
        "extrapolated_from_documents": docs,
    }
    if backend == "sqlite":
        found["index_ge_2000_docs_per_s"] = {
            "value": build["docs_per_second"],
            "per_cpu_second": build["docs_per_cpu_second"],
            "met": build["docs_per_second"] >= 2000,
            "met_in_cpu_time": build["docs_per_cpu_second"] >= 2000,
        }
    return found


# -- suggestions as one types ---------------------------------------------------------------


def named_suggestions(generator) -> list:
    """What the corpus has to complete besides titles: countries, regions and topics, weighted
    as geopol's articles app weighs them (it has no actors)."""
    from corpus import TOPICS

    from geopol.search.backends.base import Suggestion

    countries = generator.sources.countries.values()
    regions = sorted({c.region for c in countries})
    return [
        *(Suggestion("region", r, f"/regions/{r}", 4.0) for r in regions),
        *(Suggestion("country", c.name, f"/countries/{c.code}", 3.0) for c in countries),
        *(Suggestion("topic", t, f"/topics/{t}", 1.5) for t in TOPICS),
    ]


def suggestion_prefixes(generator, docs: int, count: int, seed: int) -> list[dict]:
    """`count` prefixes of 1-4 letters, half of a word of a random document's title, half of
    a word of a country name."""
    rng = random.Random(seed + 2)
    names = [c.name for c in generator.sources.countries.values()]
    prefixes = []
    for i in range(count):
        length = 1 + i % 4
        source = "title" if i % 8 < 4 else "country"
        text = generator.document(rng.randint(1, docs)).title if source == "title" else ""
        words = [w for w in WORD_RE.findall(text or rng.choice(names)) if len(w) >= length]
        while not words:
            words = [w for w in WORD_RE.findall(rng.choice(names)) if len(w) >= length]
        prefixes.append({"prefix": rng.choice(words)[:length], "letters": length, "of": source})
    return prefixes


def run_suggestions(backend, generator, prefixes: list[dict], using: str, clock=None) -> dict:
    from django.db import transaction

    with transaction.atomic(using=using):
        backend.replace_suggestions(named_suggestions(generator))
    for p in prefixes:  # warm
        backend.suggest(p["prefix"])
    rows = []
    for p in prefixes:
        s0 = clock.seconds() if clock else 0.0
        t0, c0 = time.perf_counter(), time.thread_time()
        found = backend.suggest(p["prefix"])
        wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
        server = (clock.seconds() - s0) * 1000 if clock else 0.0
        rows.append({**p, "ms": wall, "cpu_ms": cpu + server, "found": len(found)})
    report: dict[str, object] = {}
    for letters in (1, 2, 3, 4, "overall"):
        chosen = [r for r in rows if letters in (r["letters"], "overall")]
        report[str(letters)] = {
            **summary([r["ms"] for r in chosen]),
            "cpu_p50": round(statistics.median(r["cpu_ms"] for r in chosen), 2),
            "cpu_p99": round(percentile([r["cpu_ms"] for r in chosen], 0.99), 2),
        }
    slowest = max(rows, key=lambda r: r["ms"])
    report["slowest"] = {
        k: (round(v, 1) if isinstance(v, float) else v) for k, v in slowest.items()
    }
    report["examples"] = [r["prefix"] for r in rows[:8]]
    return report


def suggest_target(report: dict) -> dict:
    overall = report["overall"]
    return {
        "value_p99_ms": overall["p99"],
        "cpu_p99_ms": overall["cpu_p99"],
        "met": overall["p99"] < SUGGEST_TARGET_MS,
        "met_in_cpu_time": overall["cpu_p99"] < SUGGEST_TARGET_MS,
    }


# -- the run -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1000, help="documents per transaction")
    parser.add_argument("--data-dir", help="where the indexes go (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the indexes afterwards")
    parser.add_argument("--output", help="also write the JSON to this file")
    parser.add_argument(
        "--build-only", action="store_true", help="only the index builds (reindex rate)"
    )
    parser.add_argument(
        "--backends",
        default=",".join(BACKENDS),
        help="comma-separated, of: sqlite, postgres (default both; postgres is skipped, "
        "saying why, when the server does not answer)",
    )
    parser.add_argument(
        "--postgres-database",
        help="use (and keep) this database on the server; an index already in it is reused",
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="only the SQLite queries, on the index a --keep run left in DIR (it is migrated)",
    )
    args = parser.parse_args()
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(args.backends) - set(BACKENDS):
        parser.error(f"--backends: unknown {', '.join(sorted(unknown))}; use sqlite, postgres")

    try:
        import tantivy  # noqa: F401
    except ImportError:
        sys.exit("bench-search: tantivy is missing; run `make install-dev` (it is a dev extra)")
    try:
        generator = CorpusGenerator(args.seed)
    except CorpusUnavailable as error:
        print(f"bench-search skipped: {error}", file=sys.stderr)
        return

    if args.reuse:
        result = run_reused(args, generator, Path(args.reuse))
        print(json.dumps(result, indent=2))
        if args.output:
            Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
        return
    postgres = None
    if "postgres" in args.backends:
        from search_postgres import PostgresDatabase

        postgres = PostgresDatabase(args.postgres_database)
    if args.data_dir:
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="geopol-bench-search-", dir=args.data_dir))
    log(f"indexes in {data_dir}")
    try:
        result = run(args, generator, data_dir, postgres)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        if postgres and postgres.created and not (args.keep or args.postgres_database):
            postgres.drop()
            log(f"postgres: dropped {postgres.name}")
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")


def run_reused(args, generator: CorpusGenerator, data_dir: Path) -> dict:
    """Only the SQLite queries, on the index a --keep run left in `data_dir` (migrated)."""
    facts = machine()
    queries = make_queries(generator, args.queries, args.seed)
    setup_django(data_dir)
    from geopol.search.backends import get_backend

    backend = get_backend()
    rows = run_queries(backend, queries)
    return {
        "benchmark": "search_v1_reused_index",
        "machine": {**facts, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "sqlite_fts5": {
            "documents": backend.count(),
            "latency_ms": latency_report(rows),
            "exact_titles": check_titles(backend, generator, args.docs, args.seed),
            "where_time_goes": where_time_goes(rows),
        },
    }


def bench_sqlite(args, generator, queries: list[dict], data_dir: Path, prefixes) -> dict:
    from geopol.search.backends import get_backend

    backend = get_backend()
    log(f"sqlite: indexing {args.docs:,} documents")
    build = build_sqlite(backend, generator, args.docs, args.batch)
    build["database_bytes"] = sum(p.stat().st_size for p in data_dir.glob("geopol.sqlite3*"))
    if args.build_only:
        return {"build": build}
    log(f"sqlite: {args.queries} queries")
    rows = run_queries(backend, queries)
    return {
        "build": build,
        "update": update_rate(backend, generator, args.docs, 2000),
        "reference_bare_fts5_insert": bare_fts5_rate(generator, data_dir, min(args.docs, 20_000)),
        "latency_ms": latency_report(rows),
        "facets_estimated_share": round(sum(r["facets_estimated"] for r in rows) / len(rows), 2),
        "exact_titles": check_titles(backend, generator, args.docs, args.seed),
        "suggest_ms": run_suggestions(backend, generator, prefixes, "default"),
        "where_time_goes": where_time_goes(rows),
    }


def bench_postgres(args, generator, queries: list[dict], postgres, prefixes) -> dict:
    from search_postgres import ServerClock, build, vacuum_analyze

    from geopol.search.backends.postgres import PostgresSearchBackend

    backend = PostgresSearchBackend(DATABASE=POSTGRES)
    facts = postgres.facts()
    if args.postgres_database and not postgres.created and backend_count(backend) == args.docs:
        log(f"postgres: reusing the {args.docs:,} documents in {postgres.name}")
        built: dict = {"reused": postgres.name}
    else:
        if backend_count(backend):  # a kept database of another size: start afresh
            from django.db import transaction

            with transaction.atomic(using=POSTGRES):
                backend.clear()
        log(f"postgres: indexing {args.docs:,} documents into {postgres.name}")
        built = build(backend, generator, args.docs, args.batch, log)
        built["vacuum_analyze_seconds"] = vacuum_analyze(backend)
    built["index_bytes"] = backend.statistics()["index_bytes"]
    if args.build_only:
        return {"server": facts, "build": built}
    clock = ServerClock()
    log(f"postgres: {args.queries} queries (server pid {clock.pid})")
    rows = run_queries(backend, queries, POSTGRES, clock)
    latency = latency_report(rows)
    for kind in (*KINDS, "overall"):
        chosen = [r for r in rows if kind in (r["kind"], "overall")]
        latency[kind]["server_cpu_p50"] = round(
            statistics.median(r["server_cpu_ms"] for r in chosen), 2
        )
        latency[kind]["client_cpu_p50"] = round(
            statistics.median(r["client_cpu_ms"] for r in chosen), 2
        )
    return {
        "server": {**facts, "server_cpu_measured": clock.available},
        "build": built,
        "update": update_rate(backend, generator, args.docs, 2000, POSTGRES, clock),
        "latency_ms": latency,
        "cpu_ms_is": "this thread plus the server process answering it",
        "facets_estimated_share": round(sum(r["facets_estimated"] for r in rows) / len(rows), 2),
        "exact_titles": check_titles(backend, generator, args.docs, args.seed),
        "suggest_ms": run_suggestions(backend, generator, prefixes, POSTGRES, clock),
        "where_time_goes": where_time_goes(rows),
    }


def backend_count(backend) -> int:
    try:
        return backend.count()
    except Exception:  # no tables yet
        return 0


def run(args, generator: CorpusGenerator, data_dir: Path, postgres) -> dict:
    facts = machine()
    queries = make_queries(generator, args.queries, args.seed)
    prefixes = suggestion_prefixes(generator, args.docs, SUGGEST_PREFIXES, args.seed)
    skipped = ""

    def prepare() -> None:
        nonlocal skipped
        if postgres:
            skipped = postgres.unavailable()
            if skipped:
                log(f"postgres skipped: {skipped}")
            else:
                postgres.create(reuse=bool(args.postgres_database))

    setup_django(data_dir, prepare)
    result: dict = {
        "benchmark": "search_v1_build" if args.build_only else "search_v1",
        "machine": facts,
        "corpus": {
            "documents": args.docs,
            "seed": args.seed,
            "queries": len(queries),
            "kinds": list(KINDS),
            "reader_tiers": sorted(TIERS),
            "facets": list(FACETS),
            "examples": {k: [q["text"] for q in queries if q["kind"] == k][:3] for k in KINDS},
            "suggestion_prefixes": len(prefixes),
        },
    }
    measured: dict[str, dict] = {}
    if "sqlite" in args.backends:
        measured["sqlite"] = result["sqlite_fts5"] = bench_sqlite(
            args, generator, queries, data_dir, prefixes
        )
        result["machine"]["load_average_after_sqlite"] = [round(x, 2) for x in os.getloadavg()]
    if postgres and skipped:
        result["postgres"] = {"skipped": skipped}
    elif postgres:
        measured["postgres"] = result["postgres"] = bench_postgres(
            args, generator, queries, postgres, prefixes
        )
        result["machine"]["load_average_after_postgres"] = [round(x, 2) for x in os.getloadavg()]
    if args.build_only:
        result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        result["reindex_minutes_1m"] = {
            name: {
                "wall": round(1_000_000 / m["build"]["docs_per_second"] / 60, 1),
                "cpu": round(1_000_000 / m["build"]["docs_per_cpu_second"] / 60, 1),
            }
            for name, m in measured.items()
            if "docs_per_second" in m["build"]
        }
        return result

    log(f"tantivy: indexing {args.docs:,} documents")
    tantivy_dir = data_dir / "tantivy"
    tantivy_dir.mkdir()
    index, tantivy_build = build_tantivy(tantivy_dir, generator, args.docs)
    tantivy_build["index_bytes"] = directory_bytes(tantivy_dir)
    log(f"tantivy: {args.queries} queries")
    tantivy_latency = latency_report(run_tantivy(index, queries))
    result["tantivy"] = {"build": tantivy_build, "latency_ms": tantivy_latency}
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]

    found_targets = {}
    for name, m in measured.items():
        size = m["build"].get("database_bytes") or m["build"].get("index_bytes")
        ratio: dict = {"latency": ratios(m["latency_ms"], tantivy_latency)}
        if "docs_per_second" in m["build"]:
            ratio["build_rate"] = round(
                m["build"]["docs_per_second"] / tantivy_build["docs_per_second"], 2
            )
        ratio["size"] = round(size / tantivy_build["index_bytes"], 2)
        result[f"ratio_{name}_to_tantivy"] = ratio
        build = m["build"] if "docs_per_second" in m["build"] else None  # None: reused
        found = targets(args.docs, m["latency_ms"], build, name)
        found["suggest_p99_under_50ms"] = suggest_target(m["suggest_ms"])
        found_targets[name] = found
    # "targets" stays SQLite's (as before PostgreSQL joined); the others beside it
    if "sqlite" in found_targets:
        result["targets"] = found_targets.pop("sqlite")
    for name, found in found_targets.items():
        result[f"targets_{name}"] = found
    return result


if __name__ == "__main__":
    main()
