"""Keep the search index in step with edits made anywhere (admin, shell, services)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from geopol.articles import pagecache
from geopol.articles.models import Article, ArticleCountry, Author, Figure, Topic
from geopol.articles.services import SEARCHABLE, remove_from_search, sync_search_index
from geopol.geo.models import Country, Region

# What an article page shows (pagecache): saved or deleted anywhere, every cached page is
# out of date. Bulk writes send no signal; the services that make them call pages_changed.
for _model in (Article, ArticleCountry, Figure, Author, Topic, Country, Region):
    post_save.connect(pagecache.pages_changed, sender=_model, dispatch_uid="pages-saved")
    post_delete.connect(pagecache.pages_changed, sender=_model, dispatch_uid="pages-deleted")
for _through in (Article.authors.through, Article.topics.through):
    m2m_changed.connect(pagecache.pages_changed, sender=_through, dispatch_uid="pages-m2m")


@receiver(post_save, sender=Article)
def index_article(
    sender, instance: Article, raw: bool = False, created: bool = False, **kwargs
) -> None:
    # unrendered articles are indexed by render_article, imports once their tags are set
    if not raw and instance.summary and not getattr(instance, "_index_later", False):
        sync_search_index([instance], new=created)


@receiver(m2m_changed, sender=Article.topics.through)
@receiver(m2m_changed, sender=Article.authors.through)
def reindex_after_tagging(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Topics and authors are search facets: adding or removing one reindexes the article
    (imports index each article once, when all its tags are set)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # topic.articles.add(...): the articles are in pk_set
        sync_search_index(list(Article.objects.filter(pk__in=pk_set or [])))
    elif instance.summary and not getattr(instance, "_index_later", False):
        sync_search_index([instance])


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
