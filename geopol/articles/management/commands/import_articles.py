"""geopol import PATH... : read article files into the database (docs/formats.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from geopol.articles.importers import InputError, read_file
from geopol.articles.importers.sources import expand
from geopol.articles.search import refresh_suggestions
from geopol.articles.services import Outcome, import_articles


class Command(BaseCommand):
    help = (
        "Import articles from files, folders or glob patterns: Markdown with front matter (.md), "
        "JSON Lines (.jsonl), HTML pages (.html) and page-dump text (.txt). Importing an article "
        "again updates it. Warnings (a value read leniently) name the file and line on stderr. "
        "Exit status 1 when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, paths: list[str], json: bool = False, **options):
        files = expand(paths)
        counts = {o.value: 0 for o in Outcome} | {"failed": 0}
        articles: list[dict] = []
        errors: list[dict] = []
        warnings: list[dict] = []
        progress = tqdm(
            files,
            desc="Importing",
            unit="file",
            file=sys.stderr,
            disable=None if len(files) > 1 else True,
            leave=False,
        )
        for label, path, problem in progress:
            if path is None:
                errors.append({"file": label, "line": None, "reason": problem})
                continue
            imported, error, notes = _import_file(label, path)
            warnings += notes
            if error is not None:
                errors.append(error)
                continue
            for row in imported:
                counts[row["outcome"]] += 1
            articles += imported
        progress.close()
        if counts["created"] or counts["updated"]:
            refresh_suggestions()  # new analysts and topics complete as one types
        counts["failed"] = len(errors)
        self._report(len(files), counts, articles, errors, warnings, as_json=json)
        if errors:
            sys.exit(1)

    def _report(
        self,
        files: int,
        counts: dict[str, int],
        articles: list[dict],
        errors: list[dict],
        warnings: list[dict],
        as_json: bool,
    ) -> None:
        for kind, rows in (("warning", warnings), ("error", errors)):
            for row in rows:
                where = f"{row['file']}:{row['line']}" if row["line"] else row["file"]
                self.stderr.write(f"{kind}: {where}: {row['reason']}")
        if as_json:
            summary = {**counts, "articles": articles, "errors": errors, "warnings": warnings}
            self.stdout.write(_json_dumps(summary))
        else:
            noted = f", {len(warnings)} warning(s)" if warnings else ""
            self.stdout.write(
                f"{files} file(s): {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged, {counts['failed']} failed{noted}"
            )


def _import_file(label: str, path: Path) -> tuple[list[dict], dict | None, list[dict]]:
    """Import one file in one transaction: a row for each of its articles, or the error that
    left nothing of it written; and the warnings of what the reader read leniently."""
    notes: list[dict] = []
    try:
        items = read_file(path, settings.GEOPOL_IMPORT_MAX_BYTES)
        notes = [
            {"file": label, "line": w.line, "reason": w.reason} for i in items for w in i.warnings
        ]
        results = import_articles(items)
    except InputError as error:
        return [], {"file": label, "line": error.line, "reason": error.reason}, notes
    except OSError as error:
        reason = error.strerror or str(error)
        return [], {"file": label, "line": None, "reason": reason}, notes
    except Exception as error:  # one bad file must not stop the others
        reason = (
            f"could not be stored ({type(error).__name__}: {error}); nothing of this file "
            "was written"
        )
        return [], {"file": label, "line": None, "reason": reason}, notes
    return (
        [
            {
                "id": article.pk,
                "slug": article.slug,
                "url": article.get_absolute_url(),
                "title": article.title,
                "outcome": outcome.value,
                "file": label,
                "line": item.line,
            }
            for (article, outcome), item in zip(results, items, strict=True)
        ],
        None,
        notes,
    )


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
