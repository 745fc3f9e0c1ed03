"""geopol reindex : rebuild the search index from the articles."""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from functools import partial

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from tqdm import tqdm

from geopol.articles.models import LISTED, Article
from geopol.articles.rendering import plain_text_of_html
from geopol.articles.search import refresh_suggestions
from geopol.articles.services import sync_search_index
from geopol.search.backends import SearchBackend, get_backend

BATCH = 1000
CATCH_UP_PASSES = 3  # passes over the rebuild's log before the one that holds writers off


class RebuildInProgress(CommandError):
    pass


def _index_articles(ids: list[int], backend: SearchBackend) -> None:
    """Index these articles again as they are now (dropping those no longer searchable or
    gone), in the caller's transaction."""
    # not new=True even into an empty index: an article may have been indexed meanwhile
    articles = list(Article.objects.filter(pk__in=ids).order_by("pk"))
    # the text as last rendered, without parsing again
    texts = {a.pk: plain_text_of_html(a.body_html) for a in articles if a.body_html}
    sync_search_index(articles, texts=texts, backend=backend)
    gone = set(ids) - {a.pk for a in articles}
    if gone:
        backend.remove(sorted(gone))


def _index_batch(chunk: list[int], backend: SearchBackend) -> int:
    with transaction.atomic(using=backend.database):
        _index_articles(chunk, backend)
    return len(chunk)


def _index_batch_in_thread(chunk: list[int], backend: SearchBackend) -> int:
    try:
        return _index_batch(chunk, backend)
    finally:
        connections.close_all()  # this thread's own connections


def _fill(
    backend: SearchBackend,
    ids: list[int],
    progress: bool | None,
    after_batch: Callable[[], None] | None,
    jobs: int,
) -> None:
    """Index the articles BATCH at a time into `backend`, each batch in its own transaction
    (`jobs` of them at once, each on its own connection)."""
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
            if pool:
                done = pool.map(partial(_index_batch_in_thread, backend=backend), chunks)
            else:
                done = map(partial(_index_batch, backend=backend), chunks)
            for count in done:
                bar.update(count)
                if after_batch:
                    after_batch()
    while True:  # merge what the batches left, in short steps (writers wait at most one)
        with transaction.atomic(using=backend.database):
            if not backend.compact_step():
                break


def _drop_stale(backend: SearchBackend, searchable) -> None:
    with transaction.atomic(using=backend.database):
        stale = backend.indexed_ids() - set(searchable.values_list("pk", flat=True))
        if stale:
            backend.remove(sorted(stale))


def _rebuild_aside(
    live: SearchBackend,
    ids: list[int],
    progress: bool | None,
    after_batch: Callable[[], None] | None,
    jobs: int,
    restart: bool,
) -> None:
    """Build a new index beside the live one, which keeps answering; index again what was
    written meanwhile (the last time with writers held off), then swap it in, in one
    transaction. On any failure the new index is dropped and the live one is as it was."""
    using = live.database
    started = live.rebuild_started()
    if started and not restart:
        raise RebuildInProgress(
            f"a reindex began at {started:%Y-%m-%d %H:%M:%S} UTC and has not finished (it may "
            "still be running); `geopol reindex --restart` drops what it built and starts again"
        )
    with transaction.atomic(using=using):
        aside = live.begin_rebuild()
    try:
        _fill(aside, ids, progress, after_batch, jobs)
        _drop_stale(aside, Article.objects.filter(status__in=LISTED))
        for _ in range(CATCH_UP_PASSES):  # what was written meanwhile, writers running
            with transaction.atomic(using=using):
                changed = live.take_rebuild_changes()
                _index_articles(changed, aside)
            if len(changed) < BATCH // 10:
                break
        with transaction.atomic(using=using):
            live.lock_for_swap()  # writers wait for the rest of this transaction only
            _index_articles(live.take_rebuild_changes(), aside)
            live.swap_rebuild()
    except BaseException:
        with transaction.atomic(using=using):
            live.abandon_rebuild()
        raise
    with transaction.atomic(using=using):
        live.drop_retired_index()


def reindex(
    progress: bool | None = None,
    after_batch: Callable[[], None] | None = None,
    fresh: bool = False,
    jobs: int = 1,
    restart: bool = False,
) -> int:
    """Index every searchable article again into a new index built beside the live one,
    BATCH at a time, each batch in its own short transaction; compact it; then index again
    the articles written meanwhile and swap the new index in, in one transaction. Searches
    find everything throughout (the live index until the swap, the new one after), other
    writes wait at most one batch or step (and the swap's few re-indexed articles), and a
    reindex that fails or is interrupted leaves the live index as it was. Returns the
    articles indexed.

    `fresh`: empty the index first and fill it in place, newest first: no second copy on
    disk, but until it ends searches find only the articles indexed so far.

    `jobs`: batches indexed at once, each on its own connection. On PostgreSQL the server
    turns texts into vectors in one process per connection, so this uses more cores. SQLite
    has one writer: there the batches only queue for its lock, and one that waits past the
    busy timeout fails, so the command runs SQLite with one job.

    `restart`: drop what an unfinished reindex built aside and start again (otherwise such a
    reindex, perhaps still running, is an error)."""
    backend = get_backend()
    backend.setup()
    searchable = Article.objects.filter(status__in=LISTED)
    if fresh:
        with transaction.atomic(using=backend.database):
            backend.clear()
        ids = list(searchable.order_by("-published_at", "-pk").values_list("pk", flat=True))
        _fill(backend, ids, progress, after_batch, jobs)
        _drop_stale(backend, searchable)
    else:
        ids = list(searchable.order_by("pk").values_list("pk", flat=True))
        _rebuild_aside(backend, ids, progress, after_batch, jobs, restart)
    with transaction.atomic(using=backend.database):
        refresh_suggestions()
    return len(ids)


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the articles (the articles are the source of truth) "
        "beside the live one, then swap it in: searches find everything and edits keep "
        "working meanwhile, and an interrupted reindex leaves the live index as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="empty the index first and refill it in place, newest first: no second copy "
            "on disk, but searches find only what is refilled until it ends",
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
            "--restart",
            action="store_true",
            help="drop what an unfinished reindex built aside and start again",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only compare the index with the articles; exit status 1 if they differ",
        )

    def handle(
        self,
        *args,
        check: bool = False,
        fresh: bool = False,
        jobs: int = 1,
        restart: bool = False,
        **options,
    ):
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
        reindex(fresh=fresh, jobs=jobs, restart=restart)
        total, searchable = Article.objects.count(), get_backend().count()
        self.stdout.write(f"Reindexed {total} article(s); {searchable} searchable.")

    def _check(self) -> None:
        wanted = set(Article.objects.filter(status__in=LISTED).values_list("pk", flat=True))
        backend = get_backend()
        if started := backend.rebuild_started():
            self.stdout.write(
                f"A reindex began at {started:%Y-%m-%d %H:%M:%S} UTC and has not finished "
                "(searches use the index as it was before it)."
            )
        indexed = backend.indexed_ids()
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
