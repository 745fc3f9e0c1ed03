"""Connected Content: computing an article's lists, storing them, reading them for a reader
with the editors' pins and hides applied."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import router, transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from geopol.articles import pagecache
from geopol.articles.access import reader_kind
from geopol.articles.models import LISTED, Article
from geopol.core.db import write_unless_busy
from geopol.related import evidence as gathering
from geopol.related.models import READERS, Curation, RelatedItem, RelatedList
from geopol.related.scoring import Evidence, reason, score
from geopol.related.storylines import storyline_of


def _atomic(fn):  # type: ignore[no-untyped-def]
    """One transaction on the database RelatedList rows go to (a router may send them elsewhere
    than "default")."""

    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        with transaction.atomic(using=router.db_for_write(RelatedList)):
            return fn(*args, **kwargs)

    return functools.wraps(fn)(run)


STORED = 12  # entries kept per list: room for the editors' hides
SHOWN = 5
EDITORS_REASON = "Chosen by the editors"


@dataclass(frozen=True)
class Connection:
    """One entry of Connected Content as a reader sees it."""

    article: Article
    reason: str
    pinned: bool = False


def compute_lists(article: Article) -> dict[str, list[tuple[int, float, str]]]:
    """Every kind of reader's ranking for `article`: (id, score, reason), best first."""
    found = gathering.gather(article)
    _with_storyline(article, found)
    lists = {}
    for reader in READERS:
        scored = [(pk, score(ev), ev) for pk, ev in found[reader].items()]
        scored.sort(key=lambda s: (-s[1], -abs(s[2].days), -s[0]))
        lists[reader] = [(pk, round(value, 4), reason(ev)) for pk, value, ev in scored[:STORED]]
    return lists


def _with_storyline(article: Article, found: dict[str, dict[int, Evidence]]) -> None:
    """The other analyses of `article`'s storyline are candidates, with it as evidence (a
    storyline is built from what every reader may see: storylines.py)."""
    storyline = storyline_of([article.pk]).get(article.pk)
    if storyline is None:
        return
    members = dict(
        Article.objects.published()
        .filter(storyline_links__storyline=storyline, storyline_links__removed=False)
        .exclude(pk=article.pk)
        .values_list("pk", "published_at")
    )
    for evidence in found.values():
        for pk, published in members.items():
            days = (published - article.published_at).total_seconds() / 86400
            evidence.setdefault(pk, Evidence(days=days)).storyline = storyline.name


@_atomic
def store_lists(article: Article) -> dict[str, list[tuple[int, float, str]]]:
    """Compute `article`'s lists and keep them (replacing what was kept)."""
    lists = compute_lists(article)
    _keep_lists(article, lists)
    return lists


def _keep_lists(article: Article, lists: dict[str, list[tuple[int, float, str]]]) -> None:
    RelatedList.objects.filter(article=article).delete()
    made = RelatedList.objects.bulk_create(RelatedList(article=article, reader=r) for r in READERS)
    RelatedItem.objects.bulk_create(
        RelatedItem(list=kept, target_id=pk, rank=rank, score=value, reason=text)
        for kept in made
        for rank, (pk, value, text) in enumerate(lists[kept.reader])
    )


LISTS_KEY = "related:lists:{}:{}"  # (pages' generation and listings token, article pk)


def lists_for_reader(article: Article) -> dict[str, list[tuple[int, float, str]]]:
    """`article`'s lists computed for a reader's request, and kept for the next reader: in
    the database if it takes the write at once and no article changed meanwhile, else in the
    shared cache until an article changes. A page never waits on another writer's lock (it
    answered 500 past SQLite's busy timeout under an import), holds the lock only for the
    write, not the computing (an import then waited on pages), and computes a list once per
    change even while an import holds the lock most of the time (without the cache every
    article page computed its own: 44 ms of CPU each). "No article changed": the pages'
    generation and listings token, which every change replaces as it commits."""
    alias = router.db_for_write(RelatedList)
    version = f"{pagecache.current_generation()}:{pagecache.listings_token()}"
    key = LISTS_KEY.format(version, article.pk)
    lists = cache.get(key)
    if lists is not None:
        return lists  # type: ignore[no-any-return]
    lists = compute_lists(article)

    def unchanged() -> bool:
        return f"{pagecache.current_generation()}:{pagecache.listings_token()}" == version

    if not write_unless_busy(lambda: _keep_lists(article, lists), alias, unchanged):
        cache.set(key, lists, settings.GEOPOL_PAGE_CACHE_SECONDS)
    return lists


DUE_KEY = "related:due"  # (when the newest piece to fall due became visible, the next due)


def due_changed() -> None:
    """A scheduled article was added or moved: work out the moments again."""
    cache.delete(DUE_KEY)


def _fresh_since(now: dt.datetime) -> dt.datetime | None:
    """Lists computed before this moment miss a piece that has fallen due since (scheduled,
    or published for a later time, and not written since its time came: the change path saw
    those). The minute timer also sends each such piece down the change path
    (articles.scheduling), which recomputes its storyline; this keeps lists right without it."""
    value = cache.get(DUE_KEY)
    if value is None or (value[1] is not None and now >= value[1]):
        # scheduled, or published for a later time: both become visible by time alone
        listed = Article.objects.filter(status__in=LISTED, published_at__gt=F("updated_at"))
        value = (
            listed.filter(published_at__lte=now).aggregate(t=Max("published_at"))["t"],
            Article.objects.filter(status__in=LISTED, published_at__gt=now).aggregate(
                t=Min("published_at")
            )["t"],
        )
        cache.set(DUE_KEY, value, None)
    return value[0]  # type: ignore[no-any-return]


def _kept(article: Article, reader: str) -> list[tuple[int, str]] | None:
    """The kept list, or None when there is none or it is out of date: one query (a list
    kept empty comes back as one row without an item)."""
    since = _fresh_since(timezone.now())
    rows = list(
        RelatedList.objects.filter(article=article, reader=reader)
        .order_by("items__rank")
        .values_list("computed_at", "items__target_id", "items__reason")
    )
    if not rows or (since is not None and rows[0][0] < since):
        return None
    return [(pk, text) for _, pk, text in rows if pk is not None]


def related_for(
    article: Article, user: Any = None, reader: str = "", limit: int = SHOWN
) -> list[Connection]:
    """`article`'s Connected Content for `user` (or a kind of reader, `reader`): pinned
    articles first, hidden ones never, each with its reason in words from what that reader
    may read. Computed on first use, and again after the article or its tags change."""
    reader = reader or reader_kind(user)
    kept = _kept(article, reader)
    if kept is None:
        kept = [(pk, text) for pk, _, text in lists_for_reader(article)[reader]]
    curations = list(
        Curation.objects.filter(article=article).values_list("target_id", "action", "note")
    )
    hidden = {pk for pk, action, _ in curations if action == Curation.Action.HIDE}
    reasons = dict(kept)
    chosen: list[tuple[int, str, bool]] = [
        (pk, note or reasons.get(pk, EDITORS_REASON), True)
        for pk, action, note in curations
        if action == Curation.Action.PIN
    ]
    pinned = {pk for pk, _, _ in chosen}
    chosen += [(pk, text, False) for pk, text in kept if pk not in hidden | pinned]
    chosen = chosen[: limit * 2]  # room for any no longer published
    found = (
        Article.objects.published().defer("body", "body_html").in_bulk([pk for pk, _, _ in chosen])
    )
    return [Connection(found[pk], text, pin) for pk, text, pin in chosen if pk in found][:limit]
