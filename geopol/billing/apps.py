from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class BillingConfig(AppConfig):
    name = "geopol.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # deploy=True: `geopol manage check --deploy`, not a warning on every command
        checks.register(check_membership_settings, deploy=True)


def check_membership_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Nobody can become a member without Stripe or an address to write to."""
    if settings.GEOPOL_STRIPE_SECRET_KEY or settings.GEOPOL_MEMBERSHIP_CONTACT:
        return []
    return [
        checks.Warning(
            "readers cannot subscribe: neither GEOPOL_STRIPE_SECRET_KEY nor "
            "GEOPOL_MEMBERSHIP_CONTACT is set",
            hint="set GEOPOL_MEMBERSHIP_CONTACT to an address someone reads, or configure "
            "Stripe (docs/billing.md)",
            id="geopol.W101",
        )
    ]
