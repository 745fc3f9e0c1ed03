"""geopol reindex : rebuild the search index from the articles."""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from tqdm import tqdm

from geopol.articles.models import LISTED, Article
from geopol.articles.rendering import plain_text_of_html
from geopol.articles.search import refresh_suggestions
from geopol.articles.services import sync_search_index
from geopol.search.backends import get_backend

BATCH = 1000


def _index_batch(chunk: list[int]) -> int:
    with transaction.atomic():
        # not new=True even when fresh: an article saved meanwhile indexed itself
        articles = list(Article.objects.filter(pk__in=chunk).order_by("pk"))
        # the text as last rendered, without parsing again
        texts = {a.pk: plain_text_of_html(a.body_html) for a in articles if a.body_html}
        sync_search_index(articles, texts=texts)
    return len(chunk)


def _index_batch_in_thread(chunk: list[int]) -> int:
    try:
        return _index_batch(chunk)
    finally:
        connections.close_all()  # this thread's own connections


def reindex(
    progress: bool | None = None,
    after_batch: Callable[[], None] | None = None,
    fresh: bool = False,
    jobs: int = 1,
) -> int:
    """Index every searchable article again, BATCH at a time, each batch in its own short
    transaction, then compact the index in short steps and drop what is no longer
    searchable. Documents are replaced in place, so searches keep finding everything
    meanwhile, and other writes (sign-ins, edits) wait at most one batch or step. Articles
    saved meanwhile index themselves. Returns the articles indexed.

    `fresh`: empty the index first and fill it newest first. About twice as fast (nothing to
    replace), but until it ends searches find only the articles indexed so far.

    `jobs`: batches indexed at once, each on its own connection. On PostgreSQL the server
    turns texts into vectors in one process per connection, so this uses more cores. SQLite
    has one writer: there the batches only queue for its lock, and one that waits past the
    busy timeout fails, so the command runs SQLite with one job."""
    backend = get_backend()
    backend.setup()
    searchable = Article.objects.filter(status__in=LISTED)
    if fresh:
        with transaction.atomic():
            backend.clear()
        ids = list(searchable.order_by("-published_at", "-pk").values_list("pk", flat=True))
    else:
        ids = list(searchable.order_by("pk").values_list("pk", flat=True))
    with tqdm(
        total=len(ids),
        desc="Reindexing",
        unit="article",
        file=sys.stderr,
        disable=None if progress is None else not progress,
        leave=False,
    ) as bar:
        chunks = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
        with ThreadPoolExecutor(jobs) if jobs > 1 else nullcontext() as pool:
            done = pool.map(_index_batch_in_thread, chunks) if pool else map(_index_batch, chunks)
            for count in done:
                bar.update(count)
                if after_batch:
                    after_batch()
    while True:  # merge what the batches left, in short steps (writers wait at most one)
        with transaction.atomic():
            if not backend.compact_step():
                break
    with transaction.atomic():
        stale = backend.indexed_ids() - set(searchable.values_list("pk", flat=True))
        if stale:
            backend.remove(sorted(stale))
        refresh_suggestions()
    return len(ids)


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the articles (the articles are the source of truth), "
        "a batch at a time: searches and edits keep working meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="empty the index first and refill it newest first: about twice as fast, but "
            "searches find only what is refilled until it ends",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="index N batches at once, each on its own database connection (PostgreSQL: "
            "uses N cores; on SQLite, which has one writer, it is set back to 1)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only compare the index with the articles; exit status 1 if they differ",
        )

    def handle(self, *args, check: bool = False, fresh: bool = False, jobs: int = 1, **options):
        if check:
            self._check()
            return
        if jobs < 1:
            raise CommandError(f"--jobs must be 1 or more, not {jobs}")
        if jobs > 1 and connection.vendor == "sqlite":
            # one writer: the other batches would only queue for the lock, and one that
            # waits past the busy timeout fails with "database is locked"
            self.stderr.write("SQLite has one writer: indexing one batch at a time (--jobs 1).")
            jobs = 1
        reindex(fresh=fresh, jobs=jobs)
        total, searchable = Article.objects.count(), get_backend().count()
        self.stdout.write(f"Reindexed {total} article(s); {searchable} searchable.")

    def _check(self) -> None:
        wanted = set(Article.objects.filter(status__in=LISTED).values_list("pk", flat=True))
        indexed = get_backend().indexed_ids()
        missing, stale = sorted(wanted - indexed), sorted(indexed - wanted)
        if not missing and not stale:
            self.stdout.write(f"The index agrees with the articles ({len(indexed)} searchable).")
            return
        if missing:
            self.stdout.write(f"{len(missing)} article(s) missing from the index: {missing[:20]}")
        if stale:
            self.stdout.write(
                f"{len(stale)} indexed id(s) with no searchable article: {stale[:20]}"
            )
        raise CommandError("the index has drifted; run `geopol reindex` to rebuild it")
