from django.db import migrations

from geopol.search.backends.sqlite_schema import CREATE_SQL, FILL_SQL


def add_tables(apps, schema_editor):
    """The index gains a sample of its documents and a table of stemmed titles (the bounded
    plan's estimates and title-phrase candidates); both are filled from the index itself,
    so no reindex is needed."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'search_sample'")
        existed = cursor.fetchone() is not None
    for statement in CREATE_SQL:  # all IF NOT EXISTS
        schema_editor.execute(statement)
    if not existed:
        for statement in FILL_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_dated_keys_and_facets")]
    operations = [migrations.RunPython(add_tables, migrations.RunPython.noop)]
