from django.db import migrations

from geopol.geo.loaders import sync_regions_and_countries


def load(apps, schema_editor):
    sync_regions_and_countries(apps.get_model("geo", "Region"), apps.get_model("geo", "Country"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
