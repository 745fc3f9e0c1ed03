from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from geopol.articles.events import content_changed
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
