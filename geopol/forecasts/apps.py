from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "geopol.forecasts"
    label = "forecasts"
    verbose_name = "Key judgments and forecasts"

    def ready(self) -> None:
        from geopol.articles.services import register_import_hook
        from geopol.forecasts import receivers

        register_import_hook(receivers.store_judgments)
        receivers.connect()
