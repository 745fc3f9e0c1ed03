from django.db import migrations

from geopol.search.backends.sqlite_schema import CREATE_SQL, DROP_SQL


def create_fts5(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE_SQL:
            schema_editor.execute(statement)


def drop_fts5(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_fts5, drop_fts5)]
