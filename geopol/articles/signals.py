"""Keep the search index in step with edits made anywhere (admin, shell, services)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from geopol.articles.models import Article
from geopol.articles.services import SEARCHABLE, remove_from_search, sync_search_index


@receiver(post_save, sender=Article)
def index_article(
    sender, instance: Article, raw: bool = False, created: bool = False, **kwargs
) -> None:
    # unrendered articles are indexed by render_article, imports once their tags are set
    if not raw and instance.summary and not getattr(instance, "_index_later", False):
        sync_search_index([instance], new=created)


@receiver(post_delete, sender=Article)
def unindex_article(sender, instance: Article, **kwargs) -> None:
    remove_from_search([instance.pk])


def prepare_search_index(sender, using: str = "default", **kwargs) -> None:
    """After migrating: create the index if missing, refill it if a migration emptied it,
    and refresh the completions (countries, regions, actors...)."""
    from geopol.articles.management.commands.reindex_search import reindex
    from geopol.articles.search import refresh_suggestions
    from geopol.search.backends import get_backend

    backend = get_backend()
    if using != backend.database:  # migrating another database (a replica, a test alias)
        return
    backend.setup()
    if backend.count() == 0 and Article.objects.filter(status__in=SEARCHABLE).exists():
        reindex(progress=False)
    refresh_suggestions()
