"""Keep the search index in step with edits made anywhere (admin, shell, services)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from geopol.articles.models import Article
from geopol.articles.services import remove_from_search, sync_search_index


@receiver(post_save, sender=Article)
def index_article(
    sender, instance: Article, raw: bool = False, created: bool = False, **kwargs
) -> None:
    if not raw and instance.summary:  # unrendered articles are indexed by render_article
        sync_search_index([instance], new=created)


@receiver(post_delete, sender=Article)
def unindex_article(sender, instance: Article, **kwargs) -> None:
    remove_from_search([instance.pk])
