from django.apps import AppConfig


class ExtractionConfig(AppConfig):
    name = "geopol.extraction"
    label = "extraction"
    verbose_name = "Places, countries and actors"

    def ready(self) -> None:
        from geopol.extraction import receivers  # noqa: F401  (tags articles when they change)
        from geopol.extraction.search import register

        register()
