"""`geopol reindex` at scale; prints JSON.

N published articles from the generated corpus (bench/corpus.py: UN General Debate sentences,
countries, topics, tiers and dates spread like an archive) are written straight into a
throw-away database (body HTML rendered as a save does), without the import path or
geoparsing, so nothing is indexed yet. Then the real `reindex()` of `geopol reindex` runs
three times, timed (wall and CPU time of this process): into the empty index, again over the
full one (a new index built aside, then swapped in), and as `geopol reindex --fresh` (empty
the index, refill it in place, newest first).
After each run the index is checked against the articles (`--check`'s comparison).

Reference measured in the same run: the same title, teaser and body texts inserted straight
into a bare FTS5 table with sqlite3, one transaction per 1,000 (the floor for any design
that keeps an FTS5 index), over the first `--reference` articles.

    .venv/bin/python bench/bench_reindex.py [--articles 100000] [--reference 20000] [--jobs N]

With DATABASE_URL set (an empty PostgreSQL database) the articles and the index go there;
CPU time is then this process's only (the server parses the texts).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from corpus import CorpusGenerator, CorpusUnavailable, batches

BATCH = 1000


def write_articles(generator: CorpusGenerator, n: int) -> list[tuple[str, str, str]]:
    """Insert n published articles with countries and topics; return (title, teaser, body)
    of each, for the reference."""
    from django.db import transaction

    from geopol.articles.models import Article, ArticleCountry, Status, Topic
    from geopol.articles.rendering import render_body
    from geopol.geo.models import Country

    known = set(Country.objects.values_list("code", flat=True))
    topics: dict[str, int] = {}
    texts: list[tuple[str, str, str]] = []
    for batch in batches(generator.documents(n), BATCH):
        articles, links, tags = [], [], []
        for doc in batch:
            body = doc.body
            articles.append(
                Article(
                    pk=doc.id,
                    source_key=f"bench:{doc.id}",
                    type=doc.facets["type"][0],
                    title=doc.title[:300],
                    slug=f"bench-{doc.id}",
                    teaser=doc.teaser,
                    summary=doc.teaser,
                    body=body,
                    body_html=render_body(body, []),
                    word_count=len(body.split()),
                    status=Status.PUBLISHED,
                    published_at=doc.published,
                    access=doc.tier,
                )
            )
            codes = [c for c in doc.facets["country"] if c in known]
            links += [
                ArticleCountry(article_id=doc.id, country_id=code, position=i, primary=i == 0)
                for i, code in enumerate(codes)
            ]
            for name in doc.facets["topic"]:
                if name not in topics:
                    topics[name] = Topic.objects.get_or_create(
                        slug=name, defaults={"name": name.replace("-", " ").title()}
                    )[0].pk
                tags.append(Article.topics.through(article_id=doc.id, topic_id=topics[name]))
            texts.append((doc.title, doc.teaser, body))
        with transaction.atomic():  # bulk_create sends no signals: nothing is indexed yet
            Article.objects.bulk_create(articles)
            ArticleCountry.objects.bulk_create(links)
            Article.topics.through.objects.bulk_create(tags)
    return texts


def timed_reindex(fresh: bool = False, jobs: int = 1) -> dict[str, float]:
    from geopol.articles.management.commands.reindex_search import reindex

    wall, cpu = time.perf_counter(), time.process_time()
    count = reindex(progress=False, fresh=fresh, jobs=jobs)
    seconds, cpu_used = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "articles": count,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_used, 2),
        "articles_per_second": round(count / seconds, 1),
        "articles_per_cpu_second": round(count / cpu_used, 1),
        "projected_minutes_for_1M": round(1_000_000 / (count / seconds) / 60, 1),
    }


def reference(texts: list[tuple[str, str, str]], folder: Path) -> dict[str, float]:
    db = sqlite3.connect(folder / "reference.sqlite3")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, teaser, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), BATCH):
        with db:
            db.executemany("INSERT INTO t VALUES (?, ?, ?)", texts[start : start + BATCH])
    seconds, cpu_used = time.perf_counter() - wall, time.process_time() - cpu
    db.close()
    return {
        "documents": len(texts),
        "seconds": round(seconds, 2),
        "documents_per_second": round(len(texts) / seconds, 1),
        "documents_per_cpu_second": round(len(texts) / cpu_used, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--reference", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", help="where the database goes (default: a temp folder)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="batches indexed at once (geopol reindex --jobs)"
    )
    args = parser.parse_args()
    try:
        generator = CorpusGenerator(args.seed)
    except CorpusUnavailable as error:
        print(json.dumps({"benchmark": "reindex_v1", "skipped": str(error)}))
        return
    folder = Path(args.data_dir or tempfile.mkdtemp(prefix="geopol-bench-reindex-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["GEOPOL_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopol.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from geopol.articles.management.commands.reindex_search import Command
    from geopol.search.backends import get_backend

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        texts = write_articles(generator, args.articles)
        written = time.perf_counter() - started
        assert get_backend().count() == 0, "bulk-written articles must not be indexed yet"
        into_empty = timed_reindex(jobs=args.jobs)
        Command(stdout=io.StringIO())._check()  # raises if the index and the articles disagree
        over_full = timed_reindex(jobs=args.jobs)
        Command(stdout=io.StringIO())._check()
        fresh = timed_reindex(fresh=True, jobs=args.jobs)
        Command(stdout=io.StringIO())._check()
        ref = reference(texts[: args.reference], folder)
        vendor = connection.vendor
        connection.close()
        size = sum(p.stat().st_size for p in folder.glob("*.sqlite3*") if "reference" not in p.name)
        result = {
            "benchmark": "reindex_v1",
            "machine": {
                "python": platform.python_version(),
                "sqlite": sqlite3.sqlite_version,
                "cpus": os.cpu_count(),
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            },
            "articles": args.articles,
            "database": vendor,
            "jobs": args.jobs,
            "writing_articles_seconds": round(written, 1),
            "database_bytes": size,
            "reindex_into_empty_index": into_empty,
            "reindex_over_full_index": over_full,
            "reindex_fresh": fresh,
            "reference_bare_fts5_insert": ref,
            "ratio_to_reference_per_cpu_second": {
                "into_empty": round(
                    into_empty["articles_per_cpu_second"] / ref["documents_per_cpu_second"], 3
                ),
                "over_full": round(
                    over_full["articles_per_cpu_second"] / ref["documents_per_cpu_second"], 3
                ),
                "fresh": round(
                    fresh["articles_per_cpu_second"] / ref["documents_per_cpu_second"], 3
                ),
            },
            "target_1M_under_15_minutes": {
                "into_empty": into_empty["projected_minutes_for_1M"] < 15,
                "over_full": over_full["projected_minutes_for_1M"] < 15,
                "fresh": fresh["projected_minutes_for_1M"] < 15,
            },
        }
        print(json.dumps(result, indent=2))
    finally:
        if not args.data_dir:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
