from django.db import migrations

from geopol.search.backends.sqlite_fts5 import CREATE_SQL, TABLE


def create_fts5(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_SQL)


def drop_fts5(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_fts5, drop_fts5)]
