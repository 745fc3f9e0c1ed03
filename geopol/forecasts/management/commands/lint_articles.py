"""geopol lint PATH... : check the estimative language of article files; store nothing."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from geopol.articles.importers.base import ArticleData
from geopol.articles.importers.sources import ArticleFiles
from geopol.articles.rendering import FigureView, render_body_and_text
from geopol.forecasts.lint import Declared, LintResult, lint


def lint_article(data: ArticleData) -> LintResult:
    """The linter on one article as read from a file: its body's paragraphs, its judgments."""
    _, text = render_body_and_text(
        data.body, [FigureView(f.key, f.kind, f.caption) for f in data.figures]
    )
    declared = [
        Declared(j.statement, j.likelihood, j.probability, j.resolves_by) for j in data.judgments
    ]
    return lint([" ".join(p.split()) for p in text.split("\n\n") if p.strip()], declared)


class Command(BaseCommand):
    help = (
        "Check the estimative language of article files (any import format) against ICD 203: "
        "propose key judgments found in the text, flag vague modals (could, may, might), mixed "
        "term sets, likelihood and confidence in one sentence, judgments without a resolve-by "
        "date and probabilities outside their term's band. Nothing is stored. With --json, one "
        "JSON object per article per line. Exit status 1 when anything is flagged or a file "
        "cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--json", action="store_true", help="JSON Lines output")

    def handle(self, *args, paths: list[str], json: bool = False, **options):
        files = ArticleFiles(paths, self.stderr.write)
        flagged = False
        for label, data in files:
            result = lint_article(data)
            flagged = flagged or bool(result.flagged)
            record = {
                "file": label,
                "line": data.line,
                "title": data.title,
                "published": data.published.isoformat().replace("+00:00", "Z"),
                "judgments": len(data.judgments),
                **result.as_dict(),
            }
            if json:
                self.stdout.write(_dumps(record))
            else:
                self._print(record)
        if flagged or files.failed:
            sys.exit(1)

    def _print(self, record: dict) -> None:
        where = f"{record['file']}:{record['line']}" if record["line"] else record["file"]
        self.stdout.write(f"{record['title']}  ({where})")
        for p in record["proposed"]:
            kind = "forecast" if p["forecast"] else "judgment"
            also = f" or {', '.join(p['alternatives'])}" if p["alternatives"] else ""
            self.stdout.write(
                f"  proposed {kind}: {p['likelihood']}{also} ({p['band']}), from "
                f"'{p['phrase']}': {p['statement']}"
            )
        for f in record["flagged"]:
            self.stdout.write(f"  flagged {f['rule']}: {f['message']}\n      {f['text']}")
        if not record["proposed"] and not record["flagged"]:
            self.stdout.write("  nothing to propose or flag")
        self.stdout.write("")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
