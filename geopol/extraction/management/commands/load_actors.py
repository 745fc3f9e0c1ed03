from django.core.management.base import BaseCommand

from geopol.extraction.services import sync_actors_from_registry, sync_persons_from_registry


class Command(BaseCommand):
    help = (
        "Create or update the actors and persons of the shipped registries "
        "(geopol/extraction/data/actors.yaml and persons/*.yaml)."
    )

    def handle(self, *args, **options):
        count = sync_actors_from_registry()
        persons = sync_persons_from_registry()
        self.stdout.write(
            f"{count} actor(s) and {persons} person(s) in the registries are in the database."
        )
