import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def from_matched_at(apps, schema_editor):
    """Articles matched before: their last matching is the best known first one."""
    apps.get_model("follows", "MatchedArticle").objects.update(first_matched_at=F("matched_at"))


class Migration(migrations.Migration):
    dependencies = [("follows", "0002_digest_schedule")]

    operations = [
        migrations.AddField(
            model_name="matchedarticle",
            name="first_matched_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(from_matched_at, migrations.RunPython.noop),
    ]
