from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "geopol.related"
    label = "related"
    verbose_name = "Connected Content"

    def ready(self) -> None:
        from geopol.articles.changes import subscribe
        from geopol.related import parts, receivers

        parts.register()
        subscribe("related", receivers.forget_changed_lists)
