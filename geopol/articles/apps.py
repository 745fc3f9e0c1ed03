from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "geopol.articles"
    label = "articles"

    def ready(self) -> None:
        from geopol.articles import signals  # noqa: F401  (connects the search index)
