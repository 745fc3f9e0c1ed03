from django.db import migrations


def load(apps, schema_editor):
    from geopol.extraction.services import sync_actors_from_registry

    sync_actors_from_registry(apps.get_model("extraction", "Actor"), apps.get_model("geo", "Country"))


class Migration(migrations.Migration):
    dependencies = [("extraction", "0001_initial"), ("geo", "0003_place")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
