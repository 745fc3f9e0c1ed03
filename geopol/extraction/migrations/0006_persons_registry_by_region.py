"""The persons registry grew from 1,042 persons in one file to 2,437 in data/persons/, one
file per region: databases migrated before get the new persons and the corrected roles."""

from django.db import migrations


def load(apps, schema_editor):
    from geopol.extraction.services import sync_persons_from_registry

    sync_persons_from_registry(apps.get_model("extraction", "Actor"), apps.get_model("geo", "Country"))


class Migration(migrations.Migration):
    dependencies = [("extraction", "0005_events")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
