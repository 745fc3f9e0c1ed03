"""The plans a new site offers until staff change them in the admin (Billing > Plans)."""

from django.db import migrations

DEFAULT_PLANS = [
    # slug, name, kind, interval, price in cents, position, min seats
    ("monthly", "Monthly", "individual", "month", 1900, 1, 1),
    ("annual", "Annual", "individual", "year", 19000, 2, 1),
    ("institutional", "Institutional", "institutional", "year", 15000, 3, 3),
]


def add_plans(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    if Plan.objects.exists():
        return
    for slug, name, kind, interval, cents, position, min_seats in DEFAULT_PLANS:
        Plan.objects.create(
            slug=slug, name=name, kind=kind, interval=interval, price_cents=cents,
            position=position, min_seats=min_seats,
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(add_plans, migrations.RunPython.noop)]
