from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "geopol.related"
    label = "related"
    verbose_name = "Connected Content"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from geopol.articles import pagecache
        from geopol.articles.changes import subscribe
        from geopol.related import parts, receivers
        from geopol.related.models import Curation

        parts.register()
        subscribe("related", receivers.forget_changed_lists)
        # pins and hides are in the API's article detail, cached for anyone (anoncache)
        post_save.connect(pagecache.pages_changed, sender=Curation, dispatch_uid="pin-saved")
        post_delete.connect(pagecache.pages_changed, sender=Curation, dispatch_uid="pin-deleted")
