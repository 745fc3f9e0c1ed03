"""geopol restore FILE [--replace] : restore a `geopol backup` archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from geopol.articles.models import Article
from geopol.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `geopol backup` archive into the configured database and media folder. "
        "Into the same kind of database the snapshot is copied back, search index included; "
        "into the other kind (SQLite to PostgreSQL, say) the rows are loaded and the search "
        "index rebuilt. Stop the site first. A database holding users or articles is replaced "
        "only with --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive `geopol backup` wrote")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace what the database holds now (take a backup of it first)",
        )

    def handle(self, *args, file, replace=False, **options):
        try:
            manifest, reindex = restore_backup(Path(file), replace=replace, watched=[Article])
        except BackupError as error:
            raise CommandError(str(error)) from error
        if reindex:
            self.stdout.write(f"rebuilding the search index ({manifest.vendor} backup) ...")
            call_command("reindex_search", fresh=True, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            f"restored {Path(file).resolve()} (made {manifest.created}): "
            f"{manifest.counts.get('articles.Article', 0)} articles, "
            f"{manifest.media_files} uploaded files"
        )
