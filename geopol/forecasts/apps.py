from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "geopol.forecasts"
    label = "forecasts"
    verbose_name = "Key judgments and forecasts"

    def ready(self) -> None:
        from geopol.forecasts import receivers  # noqa: F401  (connects the import hook)
