"""Connected Content on the change path (the `related` stage, inside the edit's transaction).

A changed article's own lists are out of date, and so are the lists that show it (its title,
its tags, whether it is still published). Lists that did not show it but should now are
found from its new list (relatedness is nearly symmetric): they are dropped too, and every
dropped list is computed again by its next reader. An imported file's articles are not
computed at once (an import of thousands of files would wait on each): the lists of articles
sharing a rare tag with them are dropped instead, and their storylines are found by a
background task once the import commits (`geopol.related.tasks`). A change of many articles
drops every list."""

from __future__ import annotations

from django.db.models import Q

from geopol.articles.changes import ArticleChange
from geopol.articles.models import Article
from geopol.core.db import call_after_commit
from geopol.extraction.models import ArticleEntity
from geopol.related import storylines
from geopol.related.evidence import (
    MAX_DF,
    TAG_KINDS,
    Tag,
    forget_frequencies,
    forget_size,
    frequencies,
)
from geopol.related.models import RelatedItem, RelatedList, StorylineArticle
from geopol.related.services import due_changed, store_lists
from geopol.related.storylines import storyline_of

EAGER = 20  # a change of up to this many articles recomputes their lists at once
STORYLINES_AT_ONCE = 500  # a bigger edit leaves storylines to `cluster_storylines`; a task's ids


def forget_lists(article_ids: list[int]) -> None:
    """Drop the lists of these articles and the lists that show them."""
    showing = RelatedItem.objects.filter(target_id__in=article_ids).values_list(
        "list_id", flat=True
    )
    RelatedList.objects.filter(pk__in=list(showing)).delete()
    RelatedList.objects.filter(article_id__in=article_ids).delete()


def forget_all() -> None:
    RelatedItem.objects.all().delete()
    RelatedList.objects.all().delete()


def forget_changed_lists(change: ArticleChange) -> None:
    due_changed()
    forget_size()
    if len(change.items) <= STORYLINES_AT_ONCE:
        forget_frequencies(change.ids)
    articles = change.articles()
    touched: set[int] = set()
    if change.source == "import":  # in the background, once committed, whatever its size
        from geopol.related.tasks import enqueue_storylines

        ids = list(change.ids)
        for start in range(0, len(ids), STORYLINES_AT_ONCE):
            call_after_commit(enqueue_storylines, ids[start : start + STORYLINES_AT_ONCE])
    elif len(change.items) <= STORYLINES_AT_ONCE:
        touched = assign_storylines_of(articles)
    if len(change.items) > EAGER:
        forget_all()
        return
    forget_lists(change.ids)
    neighbours = set(touched)
    if change.source == "import":
        # an import of many files is many small changes: their lists wait for their readers
        neighbours.update(_tag_neighbours(change.ids))
    else:
        for article in articles:
            if article.is_visible:
                lists = store_lists(article)
                neighbours.update(pk for entries in lists.values() for pk, _, _ in entries)
    neighbours.difference_update(change.ids)
    if neighbours:
        RelatedList.objects.filter(article_id__in=neighbours).delete()


def _tag_neighbours(article_ids: list[int]) -> set[int]:
    """Articles sharing a rare enough actor or place with these (whose lists may now show
    them)."""
    tags = set(
        ArticleEntity.objects.kept()
        .filter(article_id__in=article_ids, kind__in=TAG_KINDS)
        .values_list("kind", "key")
    )
    counts = frequencies([Tag(kind, key, "", frozenset()) for kind, key in tags])
    rare = Q(pk__in=[])
    for kind, key in tags:
        if counts.get((kind, key), 0) <= MAX_DF:
            rare |= Q(kind=kind, key=key)
    return set(ArticleEntity.objects.filter(rare).values_list("article_id", flat=True))


def assign_storylines_of(articles: list[Article]) -> set[int]:
    """Storylines for the changed articles (oldest first); the other analyses of the
    storylines they are in now, whose lists must say so."""
    before = {s.pk for s in storyline_of(a.pk for a in articles).values()}
    storylines.assign_all(articles)
    after = {s.pk for s in storyline_of(a.pk for a in articles).values()}
    return set(
        StorylineArticle.objects.filter(storyline_id__in=before | after).values_list(
            "article_id", flat=True
        )
    )
