"""The desk's two groups: Analysts write and submit; Editors also review, schedule, publish
and retract. Add people to them in the admin (Users -> Groups)."""

from django.db import migrations

GROUPS = {
    "Analysts": [
        ("desk", "write_pieces"),
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
    ],
    "Editors": [
        ("desk", "write_pieces"),
        ("desk", "edit_pieces"),
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        ("articles", "publish_article"),
    ],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # permissions are otherwise created after every migration has run
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("articles", "0004_listing_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
