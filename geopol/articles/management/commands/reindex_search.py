"""geopol reindex : rebuild the search index from the articles."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from geopol.articles.models import Article
from geopol.articles.services import sync_search_index
from geopol.search.backends import get_backend

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the search index from the articles (the articles are the source of truth)."

    def handle(self, *args, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            get_backend().clear()
            for start in tqdm(
                range(0, len(ids), BATCH),
                desc="Reindexing",
                unit="batch",
                file=sys.stderr,
                disable=None,
                leave=False,
            ):
                sync_search_index(Article.objects.filter(pk__in=ids[start : start + BATCH]))
        self.stdout.write(f"Reindexed {len(ids)} article(s); {get_backend().count()} searchable.")
