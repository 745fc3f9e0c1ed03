"""geopol backup [FILE] : write a consistent backup of the database and uploaded files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geopol.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive holding a consistent snapshot of the database (search "
        "index included: SQLite's online backup, or pg_dump), a portable copy of the rows "
        "for the other database kind, and the uploaded files. The site may keep serving. "
        "Restore it with `geopol restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="where to write the archive (default: DATA_DIR/backups/geopol-<UTC time>.tar.gz)",
        )

    def handle(self, *args, file=None, **options):
        if file is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            archive = Path(settings.DATA_DIR) / "backups" / f"geopol-{stamp}.tar.gz"
        else:
            archive = Path(file)
        try:
            manifest = write_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"{archive}: could not write the backup: {error}") from error
        rows = sum(manifest.counts.values())
        self.stdout.write(
            f"{archive.resolve()}: {manifest.vendor} database, {rows} rows, "
            f"{manifest.media_files} uploaded files"
        )
