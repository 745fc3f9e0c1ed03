from django.core.management.base import BaseCommand

from geopol.extraction.services import sync_actors_from_registry


class Command(BaseCommand):
    help = "Create or update the actors of the shipped registry (geopol/extraction/data)."

    def handle(self, *args, **options):
        count = sync_actors_from_registry()
        self.stdout.write(f"{count} actor(s) in the registry are in the database.")
