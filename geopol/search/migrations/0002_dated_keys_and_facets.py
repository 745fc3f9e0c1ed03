from django.db import migrations

from geopol.search.backends.sqlite_schema import CREATE_SQL, DROP_SQL


def rebuild(apps, schema_editor):
    """The index changed shape (date-ordered keys, facets, suggestions): start it afresh.
    The articles app refills an empty index after migrating."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP_SQL + CREATE_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_fts5")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
