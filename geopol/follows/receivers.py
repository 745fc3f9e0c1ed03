from typing import Any

from django.db import router, transaction
from django.utils import timezone

from geopol.articles.changes import ArticleChange, Aspect
from geopol.follows.alerts import alert_window
from geopol.follows.models import Follow, FollowKind
from geopol.related.models import StorylineArticle


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


def match_storyline_joined(sender: Any, instance: StorylineArticle, **kwargs: Any) -> None:
    """An analysis joined a storyline (post_save of its StorylineArticle: the machine's
    `storylines.assign`, inline on the change path or in a background task, or an editor):
    once that commits, match it again if anyone follows the storyline, so its followers are
    told even when the alerts stage matched it before it joined. Matching twice tells nobody
    twice (one delivery per member and article), and the alert window still holds: an
    editor adding an old analysis alerts nobody."""
    if instance.removed:
        return
    key = str(instance.storyline_id)
    if not Follow.objects.emailed().filter(kind=FollowKind.STORYLINE, key=key).exists():
        return
    from geopol.follows.tasks import match_article

    article_id = instance.article_id
    transaction.on_commit(
        lambda: match_article.enqueue(article_id), using=router.db_for_write(StorylineArticle)
    )
