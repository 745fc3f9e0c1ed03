"""geopol search QUERY : search the published archive from the command line."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from geopol.articles.search import search_articles


class Command(BaseCommand):
    help = (
        'Search published articles. Words must all match; "quoted phrases", OR, -exclude and '
        "prefix* work. Shows what an anonymous reader may see."
    )

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+", metavar="QUERY")
        parser.add_argument("--json", action="store_true", help="print results as JSON")
        parser.add_argument("--limit", type=int, default=10, help="how many results (default 10)")

    def handle(self, *args, query: list[str], json: bool = False, limit: int = 10, **options):
        results = search_articles(" ".join(query), limit=max(1, min(limit, 1000)))
        if json:
            self.stdout.write(_dumps([r.as_json() for r in results.items]))
            return
        if results.note:
            self.stderr.write(results.note)
        if not results.items:
            self.stdout.write("No articles match.")
            return
        self.stdout.write(f"{results.total} match(es); showing {len(results.items)}\n")
        for item in results.items:
            self.stdout.write(f"{item.score:7.2f}  {item.article.dateline}  {item.article.title}")
            self.stdout.write(f"         {item.article.get_absolute_url()}")
            self.stdout.write(f"         {item.snippet_text}\n")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
