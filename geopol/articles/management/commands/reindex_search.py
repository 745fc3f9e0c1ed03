"""geopol reindex : rebuild the search index from the articles."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from geopol.articles.models import Article
from geopol.articles.search import refresh_suggestions
from geopol.articles.services import SEARCHABLE, sync_search_index
from geopol.search.backends import get_backend

BATCH = 1000


def reindex(progress: bool | None = None, after_batch: Callable[[], None] | None = None) -> int:
    """Index every searchable article again, BATCH at a time, each batch in its own short
    transaction, then compact the index in short steps and drop what is no longer
    searchable. Documents are replaced in place, so searches keep finding everything
    meanwhile, and other writes (sign-ins, edits) wait at most one batch or step. Articles
    saved meanwhile index themselves. Returns the articles indexed."""
    backend = get_backend()
    backend.setup()
    ids = list(
        Article.objects.filter(status__in=SEARCHABLE).order_by("pk").values_list("pk", flat=True)
    )
    with tqdm(
        total=len(ids),
        desc="Reindexing",
        unit="article",
        file=sys.stderr,
        disable=None if progress is None else not progress,
        leave=False,
    ) as bar:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            with transaction.atomic():
                sync_search_index(list(Article.objects.filter(pk__in=chunk).order_by("pk")))
            bar.update(len(chunk))
            if after_batch:
                after_batch()
    while True:  # merge what the batches left, in short steps (writers wait at most one)
        with transaction.atomic():
            if not backend.compact_step():
                break
    with transaction.atomic():
        searchable = set(Article.objects.filter(status__in=SEARCHABLE).values_list("pk", flat=True))
        stale = backend.indexed_ids() - searchable
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
            "--check",
            action="store_true",
            help="only compare the index with the articles; exit status 1 if they differ",
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            self._check()
            return
        reindex()
        total, searchable = Article.objects.count(), get_backend().count()
        self.stdout.write(f"Reindexed {total} article(s); {searchable} searchable.")

    def _check(self) -> None:
        wanted = set(Article.objects.filter(status__in=SEARCHABLE).values_list("pk", flat=True))
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
