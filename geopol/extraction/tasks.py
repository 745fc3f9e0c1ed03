"""Background work of the geoparser, run by a django-tasks worker (`geopol worker`).

With `GEOPOL_NER` on, an article whose text changed is tagged at once without NER (so an
import keeps its speed) and then again here with the NER model's proposals
(`geopol.extraction.ner`). The task reads the article from the database, so running it
twice, or after a later edit, only tags the current text again."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from geopol.articles.models import Article
from geopol.extraction import ner
from geopol.extraction.services import tag_article


@task()
def tag_with_ner(article_id: int) -> bool:
    """Re-tag one article with NER proposals; False when it is gone."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return False
    tag_article(article, propose=ner.propose)
    return True


def enqueue_ner(article_ids: list[int]) -> int:
    """Queue the NER re-tagging of these articles when the setting is on."""
    if not settings.GEOPOL_NER:
        return 0
    for pk in article_ids:
        tag_with_ner.enqueue(pk)
    return len(article_ids)
