from django.db import migrations

from geopol.search.backends.sqlite_schema import CREATE_SQL


def add_tables(apps, schema_editor):
    """The tables a rebuild beside the live index keeps its state in (`geopol reindex`); the
    index itself is unchanged."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE_SQL:  # all IF NOT EXISTS
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_sample_and_title_terms")]
    operations = [migrations.RunPython(add_tables, migrations.RunPython.noop)]
