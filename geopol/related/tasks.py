"""Background work of Connected Content, run by a django-tasks worker (`geopol worker`).

An imported file's articles are put into storylines here rather than inside the import's
transaction: finding an article's storyline gathers its evidence against the archive (tens
of milliseconds an article), which would make an import of thousands of files wait on it.
The task reads the articles from the database, so running it twice, or after a later edit,
only assigns what is there now."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from geopol.articles.models import Article
from geopol.related.models import RelatedList
from geopol.related.receivers import assign_storylines_of


@task()
def assign_storylines(article_ids: list[int]) -> int:
    """Put these articles into storylines; the lists of every analysis in the storylines they
    joined are dropped (their next reader computes them with "Same storyline"). Returns how
    many articles are still there."""
    with transaction.atomic():
        articles = list(Article.objects.filter(pk__in=article_ids))
        touched = assign_storylines_of(articles)
        touched.update(article_ids)
        RelatedList.objects.filter(article_id__in=touched).delete()
    return len(articles)


def enqueue_storylines(article_ids: list[int]) -> None:
    """Queue the storyline assignment of these articles (called once the import commits)."""
    if article_ids:
        assign_storylines.enqueue(article_ids)
