"""geopol reindex : rebuild the search index from the articles."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from geopol.articles.models import Article
from geopol.articles.search import refresh_suggestions
from geopol.articles.services import SEARCHABLE, sync_search_index
from geopol.search.backends import get_backend

BATCH = 1000


def reindex(progress: bool | None = None) -> int:
    """Empty the index and fill it from the articles in one transaction: until it commits,
    searches see the old index, so the site keeps serving. Returns the articles indexed."""
    ids = list(
        Article.objects.filter(status__in=SEARCHABLE).order_by("pk").values_list("pk", flat=True)
    )
    backend = get_backend()
    with transaction.atomic():
        backend.setup()
        backend.clear()
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
                articles = Article.objects.filter(pk__in=chunk).order_by("pk")
                sync_search_index(list(articles), new=True)
                bar.update(len(chunk))
        refresh_suggestions()
    return len(ids)


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the articles (the articles are the source of truth). "
        "Searches keep being answered from the old index until the new one is complete."
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
