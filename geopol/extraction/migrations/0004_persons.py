from django.db import migrations, models


def load(apps, schema_editor):
    from geopol.extraction.services import sync_persons_from_registry

    sync_persons_from_registry(apps.get_model("extraction", "Actor"), apps.get_model("geo", "Country"))


class Migration(migrations.Migration):
    dependencies = [("extraction", "0003_actor_kinds")]

    operations = [
        migrations.AddField(
            model_name="actor",
            name="short_names",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Persons: what a second mention says ('Assad'), matched after a full one.",
            ),
        ),
        migrations.AddField(
            model_name="actor",
            name="roles",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Persons: offices, each {office, country, start, end}.",
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="kind",
            field=models.CharField(
                choices=[
                    ("armed-group", "Armed group"),
                    ("state-force", "State force"),
                    ("mission", "Mission"),
                    ("igo", "Intergovernmental organization"),
                    ("alliance", "Alliance"),
                    ("political-movement", "Political movement"),
                    ("political-party", "Political party"),
                    ("state-institution", "State institution"),
                    ("person", "Person"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
