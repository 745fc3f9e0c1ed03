from django.apps import AppConfig


class ExtractionConfig(AppConfig):
    name = "geopol.extraction"
    label = "extraction"
    verbose_name = "Places, countries and actors"

    def ready(self) -> None:
        from geopol.articles.changes import subscribe
        from geopol.extraction import receivers
        from geopol.extraction.search import register

        register()
        subscribe("tagging", receivers.tag_changed_articles)
