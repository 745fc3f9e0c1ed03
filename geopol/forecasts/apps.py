from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "geopol.forecasts"
    label = "forecasts"
    verbose_name = "Key judgments and forecasts"

    def ready(self) -> None:
        from geopol.articles.parts import contribute
        from geopol.articles.services import register_import_hook
        from geopol.forecasts import receivers
        from geopol.forecasts.templatetags.forecasts import key_judgments_part

        register_import_hook(receivers.store_judgments)
        contribute("key-judgments", key_judgments_part)
        receivers.connect()
