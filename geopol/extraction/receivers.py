from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from geopol.articles.events import content_changed, content_changed_in_bulk
from geopol.articles.models import Article
from geopol.articles.pagecache import pages_changed
from geopol.extraction.models import Actor, ArticleEntity
from geopol.extraction.services import forget_cached, tag_article, tag_articles
from geopol.geo.models import Place


@receiver(content_changed, sender=Article)
def tag_changed_article(sender, article: Article, created: bool = False, **kwargs) -> None:
    tag_article(article, created=created)


@receiver(content_changed_in_bulk, sender=Article)
def tag_changed_articles(sender, changes: list[tuple[Article, bool]], **kwargs) -> None:
    tag_articles(changes)


@receiver([post_save, post_delete], sender=Place)
@receiver([post_save, post_delete], sender=Actor)
def gazetteer_or_registry_changed(sender, **kwargs) -> None:
    forget_cached()  # other processes notice within RECHECK_SECONDS
    pages_changed()  # article pages name places and actors


# an editor confirming, removing or adding a place or actor changes the article's page
post_save.connect(pages_changed, sender=ArticleEntity, dispatch_uid="pages-entity-saved")
post_delete.connect(pages_changed, sender=ArticleEntity, dispatch_uid="pages-entity-deleted")
