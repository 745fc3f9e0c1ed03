"""geopol gazetteer load FILE... : add GeoNames dumps (e.g. ML.txt) to the gazetteer."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from geopol.extraction.services import forget_cached
from geopol.geo.geonames import DumpError, read_dump
from geopol.geo.models import Country, Place

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Add places from GeoNames dumps in their standard tab-separated format (e.g. ML.txt "
        "from download.geonames.org/export/dump/). Loading a file again updates its places."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files: list[str], **options):
        known = set(Country.objects.values_list("code", flat=True))
        failed = False
        for name in files:
            path = Path(name)
            if not path.is_file():
                self.stderr.write(f"error: {name}: no such file")
                failed = True
                continue
            try:
                with transaction.atomic():
                    created, updated = self._load(path, known)
            except DumpError as error:
                self.stderr.write(f"error: {name}:{error.line}: {error.reason}")
                failed = True
                continue
            except UnicodeDecodeError:
                self.stderr.write(f"error: {name}: not UTF-8; GeoNames dumps are UTF-8")
                failed = True
                continue
            self.stdout.write(f"{name}: {created} places added, {updated} updated")
            forget_cached()
        if failed:
            raise CommandError("some files were not loaded (nothing of them was stored)")

    def _load(self, path: Path, known: set[str]) -> tuple[int, int]:
        rows = [r for r in read_dump(path) if r.country in known]
        existing = set(
            Place.objects.filter(geonames_id__in=[r.geonames_id for r in rows]).values_list(
                "geonames_id", flat=True
            )
        )
        places = [
            Place(
                geonames_id=r.geonames_id,
                name=r.name,
                ascii_name=r.ascii_name,
                alternate_names="\n".join(
                    n for n in r.alternate_names if n.isascii() or n.replace(" ", "").isalpha()
                )[:20000],
                lat=r.lat,
                lon=r.lon,
                country_id=r.country,
                admin1=r.admin1,
                feature_class=r.feature_class,
                feature_code=r.feature_code,
                population=r.population,
                source=Place.Source.GEONAMES,
            )
            for r in rows
        ]
        for start in tqdm(
            range(0, len(places), BATCH),
            desc=path.name,
            unit="batch",
            file=sys.stderr,
            disable=None,
            leave=False,
        ):
            Place.objects.bulk_create(
                places[start : start + BATCH],
                update_conflicts=True,
                unique_fields=["geonames_id"],
                update_fields=[
                    "name",
                    "ascii_name",
                    "alternate_names",
                    "lat",
                    "lon",
                    "country",
                    "admin1",
                    "feature_class",
                    "feature_code",
                    "population",
                    "source",
                ],
            )
        return len(places) - len(existing), len(existing)
