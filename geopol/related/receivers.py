"""Connected Content on the change path (the `related` stage, inside the edit's transaction).

A changed article's own lists are out of date, and so are the lists that show it (its title,
its tags, whether it is still published). Lists that did not show it but should now are
found from its new list (relatedness is nearly symmetric): they are dropped too, and every
dropped list is computed again by its next reader. A change of many articles (an import)
drops every list."""

from __future__ import annotations

from geopol.articles.changes import ArticleChange
from geopol.related.models import RelatedItem, RelatedList
from geopol.related.services import due_changed, store_lists

EAGER = 20  # a change of up to this many articles recomputes their lists at once


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
    if len(change.items) > EAGER:
        forget_all()
        return
    forget_lists(change.ids)
    neighbours: set[int] = set()
    for article in change.articles():
        if article.is_visible:
            lists = store_lists(article)
            neighbours.update(pk for entries in lists.values() for pk, _, _ in entries)
    neighbours.difference_update(change.ids)
    if neighbours:
        RelatedList.objects.filter(article_id__in=neighbours).delete()
