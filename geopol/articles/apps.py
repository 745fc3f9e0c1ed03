from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "geopol.articles"
    label = "articles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from geopol.articles import signals

        post_migrate.connect(signals.prepare_search_index, sender=self)
