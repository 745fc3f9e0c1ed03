"""Extraction on the change path (tagging) and the writes that change what pages show."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from geopol.articles import changes
from geopol.articles.changes import ArticleChange, Aspect
from geopol.articles.pagecache import pages_changed
from geopol.articles.search import names_changed
from geopol.core.db import call_after_commit
from geopol.extraction.models import Actor, ArticleEntity
from geopol.extraction.services import article_text, forget_cached, tag_articles
from geopol.extraction.timelines import moved, re_resolve
from geopol.geo.models import Place


def tag_changed_articles(change: ArticleChange) -> None:
    """The tagging stage: articles whose text changed are geoparsed again; those whose
    publication date alone moved get their dates resolved again."""
    items = change.loaded(change.having(Aspect.TEXT))
    tag_articles(items)
    re_resolve_moved_events(change)
    if settings.GEOPOL_NER:  # again with NER, in the background, once the edit is committed
        from geopol.extraction.tasks import enqueue_ner

        ids = [article.pk for _, article in items]
        call_after_commit(enqueue_ner, ids)


def re_resolve_moved_events(change: ArticleChange) -> None:
    """Articles whose publication date moved while their text did not: "on Monday" is
    another Monday now. Their dates are resolved again, nothing else is re-read."""
    same_text = [i for i in change.having(Aspect.RECORD) if Aspect.TEXT not in i.aspects]
    if not same_text:
        return
    for article in moved(change.articles(same_text)):
        re_resolve(article, article_text(article))


@receiver([post_save, post_delete], sender=Place)
@receiver([post_save, post_delete], sender=Actor)
def gazetteer_or_registry_changed(sender, **kwargs) -> None:
    forget_cached()  # other processes notice within RECHECK_SECONDS
    pages_changed()  # article pages name places and actors
    transaction.on_commit(names_changed)  # "did you mean" knows actors' names and aliases


@receiver([post_save, post_delete], sender=ArticleEntity)
def entity_changed(sender, instance: ArticleEntity, raw: bool = False, **kwargs) -> None:
    """An editor confirming, removing or adding a place or actor: a search facet, and shown
    on the article's page."""
    if not raw:
        changes.record(instance.article_id, Aspect.TAGS)
