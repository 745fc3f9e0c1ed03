"""Writes made outside the services (the admin's forms, a shell, a script) join the change
path here: a saved or deleted article, its figures, country tags, authors and topics."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from geopol.articles import changes, pagecache
from geopol.articles.changes import Aspect
from geopol.articles.models import LISTED, Article, ArticleCountry, Author, Figure, Topic
from geopol.geo.models import Country, Region

# Shown on many pages (names in bylines, tags, navigation): an edit drops every cached page.
for _model in (Author, Topic, Country, Region):
    post_save.connect(pagecache.pages_changed, sender=_model, dispatch_uid="pages-saved")
    post_delete.connect(pagecache.pages_changed, sender=_model, dispatch_uid="pages-deleted")


@receiver(post_save, sender=Article)
def article_saved(
    sender, instance: Article, raw: bool = False, created: bool = False, **kwargs
) -> None:
    if not raw:
        changes.record(instance, Aspect.RECORD, created=created)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance: Article, **kwargs) -> None:
    changes.record(instance.pk, Aspect.REMOVED)


@receiver([post_save, post_delete], sender=Figure)
def figure_changed(sender, instance: Figure, raw: bool = False, **kwargs) -> None:
    if not raw:
        changes.record(instance.article_id, Aspect.RECORD)


@receiver([post_save, post_delete], sender=ArticleCountry)
def country_tag_changed(sender, instance: ArticleCountry, raw: bool = False, **kwargs) -> None:
    if not raw:
        changes.record(instance.article_id, Aspect.TAGS)


@receiver(m2m_changed, sender=Article.topics.through)
@receiver(m2m_changed, sender=Article.authors.through)
def tagged(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Topics and authors are search facets and shown on the page."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # topic.articles.add(...): the articles are in pk_set
        with changes.collect("save"):
            for pk in pk_set or ():
                changes.record(pk, Aspect.TAGS)
    else:
        changes.record(instance, Aspect.TAGS)


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
    if backend.count() == 0 and Article.objects.filter(status__in=LISTED).exists():
        reindex(progress=False)
    refresh_suggestions()
