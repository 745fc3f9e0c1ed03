from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "geopol.articles"
    label = "articles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from geopol.articles import pagecache, services, signals
        from geopol.articles.changes import subscribe

        post_migrate.connect(signals.prepare_search_index, sender=self)
        subscribe("indexing", services.index_change)
        subscribe("pages", pagecache.invalidate_pages)
