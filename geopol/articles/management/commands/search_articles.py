"""geopol search QUERY : search the published archive from the command line."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from geopol.articles.search import search_articles
from geopol.search.query import parse_date

FILTERS = [
    ("country", "ML or Mali"),
    ("region", "sub-saharan-africa"),
    ("type", "forecast"),
    ("topic", "security"),
    ("actor", "ansar-dine"),
    ("author", "a slug or name"),
]


class Command(BaseCommand):
    help = (
        'Search published articles. Words must all match; "quoted phrases", OR, -exclude, '
        "prefix* and field filters (country:ML, type:forecast, from:2012-01) work. Shows what "
        "an anonymous reader may see."
    )

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="*", metavar="QUERY")
        parser.add_argument("--json", action="store_true", help="print results as JSON")
        parser.add_argument("--limit", type=int, default=10, help="how many results (default 10)")
        for name, example in FILTERS:
            parser.add_argument(
                f"--{name}",
                action="append",
                default=[],
                metavar=name.upper(),
                help=f"only articles with this {name} (e.g. {example}); repeat to require several",
            )
        parser.add_argument(
            "--from",
            dest="date_from",
            default="",
            metavar="DATE",
            help="published on or after DATE (2012, 2012-01 or 2012-01-15)",
        )
        parser.add_argument(
            "--to",
            dest="date_to",
            default="",
            metavar="DATE",
            help="published on or before DATE (the whole year, month or day)",
        )
        parser.add_argument(
            "--sort",
            choices=["relevance", "date"],
            default="relevance",
            help="best match first (default) or newest first",
        )

    def handle(self, *args, query: list[str], json: bool = False, limit: int = 10, **options):
        for option in ("date_from", "date_to"):
            value = options[option]
            if value and parse_date(value) is None:
                flag = "--" + option.removeprefix("date_")
                raise CommandError(
                    f"{flag} {value!r} is not a date: write 2012, 2012-01 or 2012-01-15"
                )
        filters = {name: options[name] for name, _ in FILTERS if options.get(name)}
        text = " ".join(query)
        if not text and not filters and not options["date_from"] and not options["date_to"]:
            raise CommandError("give words to search for, or a filter such as --country ML")
        results = search_articles(
            text,
            limit=max(1, min(limit, 1000)),
            filters=filters,
            date_from=options["date_from"],
            date_to=options["date_to"],
            sort=options["sort"],
        )
        if json:
            self.stdout.write(_dumps([r.as_json() for r in results.items]))
            return
        if results.note:
            self.stderr.write(results.note)
            if json and not results.items:
                return
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
