from django.utils import timezone

from geopol.articles.changes import ArticleChange, Aspect
from geopol.follows.alerts import alert_window


def match_published(change: ArticleChange) -> None:
    """The alerts stage (after the commit, so the geoparser's tags are in and a rolled-back
    import alerts nobody): articles published or edited just now are matched against the
    follows. Articles scheduled for later are matched by `geopol alerts send-due` once due;
    an edit to an old analysis, or an archive import, alerts nobody."""
    from geopol.follows.tasks import match_article

    oldest = timezone.now() - alert_window()
    for article in change.articles(change.having(Aspect.TEXT)):
        if article.is_visible and article.published_at >= oldest:
            match_article.enqueue(article.pk)
