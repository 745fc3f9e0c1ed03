"""geopol forecasts resolve ID true|false|annulled --note ... | list : the forecast ledger."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geopol.articles.importers.judgments import OUTCOMES
from geopol.forecasts.ledger import build_scorecard
from geopol.forecasts.models import Judgment
from geopol.forecasts.services import resolve_judgment


class Command(BaseCommand):
    help = (
        "The forecast ledger. 'resolve ID true|false|annulled --note TEXT [--link URL]' "
        "records how a key judgment turned out (ID: the data-judgment-id on the article page) "
        "and emails the followers of its countries; 'list [--open] [--json]' prints the "
        "judgments; 'score [--json]' prints the Brier scores."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        resolve = actions.add_parser("resolve", help="resolve a key judgment")
        resolve.add_argument("id", type=int, metavar="ID")
        resolve.add_argument("outcome", choices=OUTCOMES)
        resolve.add_argument("--note", default="", help="how the outcome is known")
        resolve.add_argument("--link", default="", help="a source for the outcome (URL)")
        listing = actions.add_parser("list", help="list key judgments")
        listing.add_argument("--open", action="store_true", help="only open ones, by date")
        listing.add_argument("--json", action="store_true", help="JSON Lines output")
        scores = actions.add_parser("score", help="Brier scores per analyst, region, topic, year")
        scores.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, action: str, **options):
        if action == "resolve":
            self._resolve(options["id"], options["outcome"], options["note"], options["link"])
        elif action == "list":
            self._list(options["open"], options["json"])
        else:
            self._score(options["json"])

    def _resolve(self, pk: int, outcome: str, note: str, link: str) -> None:
        if link and not link.startswith(("http://", "https://")):
            raise CommandError(f"--link {link!r}: give an http:// or https:// URL")
        with transaction.atomic():
            judgment = Judgment.objects.select_for_update().filter(pk=pk).first()
            if judgment is None:
                raise CommandError(
                    f"no key judgment {pk}: the id is the data-judgment-id on the article "
                    "page, or see 'geopol forecasts list'"
                )
            resolve_judgment(judgment, outcome, note=note, link=link)
        self.stdout.write(f"judgment {pk} resolved {outcome}: {judgment.statement}")

    def _list(self, only_open: bool, as_json: bool) -> None:
        judgments = Judgment.objects.select_related("article")
        judgments = judgments.open().by_resolve_date() if only_open else judgments.order_by("id")
        for j in judgments.iterator(chunk_size=500):
            record = {
                "id": j.pk,
                "article": j.article.slug,
                "statement": j.statement,
                "likelihood": j.likelihood,
                "probability": j.probability,
                "confidence": j.confidence or None,
                "resolves_by": j.resolves_by.isoformat() if j.resolves_by else None,
                "outcome": j.outcome,
            }
            if as_json:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            else:
                date = record["resolves_by"] or "no date"
                self.stdout.write(
                    f"{j.pk:>6}  {j.outcome:<8} {date:<10}  {j.likelihood} "
                    f"{j.probability:.0%}  {j.statement[:80]}"
                )

    def _score(self, as_json: bool) -> None:
        card = build_scorecard()
        groups = {
            dimension: [
                {"key": s.key, "label": s.label, "count": s.count, "brier": s.brier} for s in scores
            ]
            for dimension, scores in card.groups.items()
        }
        if as_json:
            overall = {"count": card.overall.count, "brier": card.overall.brier}
            self.stdout.write(json.dumps({"overall": overall, "counts": card.counts, **groups}))
            return
        self.stdout.write(f"all: Brier {card.overall.brier_label} over {card.overall.count}")
        for dimension, rows in groups.items():
            for row in rows:
                brier = "–" if row["brier"] is None else f"{row['brier']:.2f}"
                self.stdout.write(f"{dimension:<8} {row['label']:<40} {row['count']:>4}  {brier}")
