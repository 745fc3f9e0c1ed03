from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "geopol.members"
    verbose_name = "Members"

    def ready(self) -> None:
        from django.conf import settings

        from geopol.articles.access import register_meter
        from geopol.members.metering import AccountMeter

        register_meter(AccountMeter(lambda: settings.GEOPOL_METERED_ARTICLES))
