from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "geopol.billing"
    label = "billing"
    verbose_name = "Billing"
