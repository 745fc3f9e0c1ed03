"""geopol demo : load the demo corpus shipped with Geopol (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from geopol.articles.search import refresh_suggestions

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load the demo corpus: original analyses across every region, 2013-2025."

    def handle(self, *args, **options):
        if apps.is_installed("geopol.extraction"):
            # the shipped actor registry may be newer than the database's copy
            call_command("load_actors", stdout=self.stdout)
        folders = [str(p) for p in sorted(DEMO_DIR.iterdir()) if p.is_dir()]
        call_command("import_articles", *folders, stdout=self.stdout, stderr=self.stderr)
        refresh_suggestions()  # actors and authors new since the last migration
