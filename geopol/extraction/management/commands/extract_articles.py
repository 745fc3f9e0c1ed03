"""geopol extract PATH... : print the places, countries, actors and dated events of articles;
store nothing."""

from __future__ import annotations

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from geopol.articles.importers.base import ArticleData
from geopol.articles.importers.sources import ArticleFiles
from geopol.articles.rendering import FigureView, render_body_and_text
from geopol.core.text import count_words, reading_minutes
from geopol.extraction.pipeline import Extraction, extract
from geopol.extraction.services import current_actors, current_gazetteer
from geopol.geo.models import Country


def as_json(
    data: ArticleData, text: str, result: Extraction, regions: dict[str, tuple[str, str]]
) -> dict:
    """The `geopol extract --json` record of one article (`text`: its body as plain text)."""
    seen_regions: dict[str, dict] = {}
    names = {("place", p.key): p.canonical for p in result.places}
    names |= {("actor", a.id): a.name for a in result.actors}
    for country in result.countries:
        if country.code in regions:
            slug, name = regions[country.code]
            entry = seen_regions.setdefault(slug, {"slug": slug, "name": name, "primary": False})
            entry["primary"] = entry["primary"] or country.primary
    return {
        "title": data.title,
        "published": data.published.isoformat().replace("+00:00", "Z"),
        "reading_minutes": reading_minutes(count_words(text), settings.GEOPOL_READING_WPM),
        "countries": [
            {"code": c.code, "name": c.name, "primary": c.primary, "mentions": c.mentions}
            for c in result.countries
        ],
        "regions": sorted(seen_regions.values(), key=lambda r: not r["primary"]),
        "places": [
            {
                "name": p.name,
                "canonical": p.canonical,
                "country": p.country or None,
                "lat": p.lat,
                "lon": p.lon,
                "geonames_id": p.geonames_id,
                "mentions": p.mentions,
                "precision": p.precision,
            }
            for p in result.places
        ],
        "actors": [
            {
                "name": a.name,
                "kind": a.kind,
                "aliases_in_text": a.aliases_in_text,
                "countries": a.countries,
            }
            for a in result.actors
        ],
        "events": [
            {
                "date": e.date.isoformat(),
                "precision": e.precision,
                "text": e.text,
                "sentence": e.sentence,
                "places": [names.get(("place", k), k) for k in e.places],
                "actors": [names.get(("actor", k), k) for k in e.actors],
                "countries": e.countries,
            }
            for e in result.events
        ],
    }


class Command(BaseCommand):
    help = (
        "Extract places, countries, actors and dated events from article files (any import "
        "format; a JSON Lines file or a folder holds many). Nothing is stored. With --json, "
        "one JSON object per article per line, in input order."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--json", action="store_true", help="JSON Lines output")

    def handle(self, *args, paths: list[str], json: bool = False, **options):
        gazetteer, actors = current_gazetteer(), current_actors()
        regions = {
            c.code: (c.region.slug, c.region.name) for c in Country.objects.select_related("region")
        }
        files = ArticleFiles(paths, self.stderr.write)
        for _, data in files:
            _, text = render_body_and_text(
                data.body, [FigureView(f.key, f.kind, f.caption) for f in data.figures]
            )
            captions = " ".join(f.caption for f in data.figures)
            result = extract(
                f"{text}\n\n{captions}",
                gazetteer,
                actors,
                title=data.title,
                known_countries=data.countries,
                published=data.published.date(),
            )
            record = as_json(data, text, result, regions)
            if json:
                self.stdout.write(_dumps(record))
            else:
                self._print(record)
        if files.failed:
            sys.exit(1)

    def _print(self, record: dict) -> None:
        self.stdout.write(f"{record['title']}  ({record['published']})")
        countries = ", ".join(
            f"{c['name']}{'*' if c['primary'] else ''} ({c['mentions']})"
            for c in record["countries"]
        )
        self.stdout.write(f"  countries: {countries or '-'}   (* primary)")
        places = ", ".join(f"{p['name']} [{p['country']}]" for p in record["places"])
        self.stdout.write(f"  places:    {places or '-'}")
        actors = ", ".join(a["name"] for a in record["actors"])
        self.stdout.write(f"  actors:    {actors or '-'}")
        events = "; ".join(f"{e['date']} ({e['precision']}) {e['text']}" for e in record["events"])
        self.stdout.write(f"  events:    {events or '-'}\n")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
