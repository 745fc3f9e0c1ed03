from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from geopol.articles.events import content_changed, content_changed_in_bulk
from geopol.articles.models import Article
from geopol.follows.alerts import alert_window


@receiver(content_changed, sender=Article)
def match_when_published(sender, article: Article, **kwargs) -> None:
    """Work out alerts after the transaction commits, so the geoparser's tags are in and a
    rolled-back import alerts nobody. Articles scheduled for later are matched by
    `geopol alerts send-due` once they are due."""
    if not article.is_visible or article.published_at < timezone.now() - alert_window():
        return  # an edit to an old analysis, or an archive import, alerts nobody
    from geopol.follows.tasks import match_article

    pk = article.pk
    transaction.on_commit(lambda: match_article.enqueue(pk))


@receiver(content_changed_in_bulk, sender=Article)
def match_imported_file(sender, changes: list[tuple[Article, bool]], **kwargs) -> None:
    """An imported file's articles, as content_changed would have matched them one by one."""
    for article, created in changes:
        match_when_published(sender, article=article, created=created)
