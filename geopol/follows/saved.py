"""Saved searches: save, rename, choose the email, delete; and which saved searches a newly
published article matches, as each member may read it. Their matches join the follows'
matches in `alerts.match_article`, so a member hears once of an article, with the reason
("matches your saved search 'Sahel jihadists'")."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from geopol.articles.access import readable_tiers
from geopol.articles.models import Article
from geopol.articles.search import search_articles
from geopol.follows.models import Follow, FollowKind, Frequency, SavedSearch

MAX_SAVED = 50  # saved searches per member
DATE_KEYS = ("from", "to")


class SavedSearchError(ValueError):
    """A saved search that cannot be made; the message is for the member."""


def _clean_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    return {k: [str(v)[:120] for v in vs if v][:10] for k, vs in filters.items() if vs}


def save_search(
    user: Any,
    name: str,
    query: str,
    filters: Mapping[str, Sequence[str]],
    frequency: str = Frequency.DAILY,
) -> SavedSearch:
    """Save a search (query and filters) under `name` with its email choice."""
    name, query = name.strip()[:120], query.strip()[:500]
    cleaned = _clean_filters(filters)
    if not (query or cleaned):
        raise SavedSearchError("There is nothing to save: search for something first.")
    if frequency not in Frequency.values:
        raise SavedSearchError(f"Unknown email choice {frequency!r}.")
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED:
        raise SavedSearchError(f"You have {MAX_SAVED} saved searches: delete one first.")
    with transaction.atomic():
        saved = SavedSearch.objects.create(
            user=user, name=name or query or "Saved search", query=query, filters=cleaned
        )
        Follow.objects.create(
            user=user, kind=FollowKind.SEARCH, key=str(saved.pk), frequency=frequency
        )
    return saved


def follow_of(saved: SavedSearch) -> Follow | None:
    return Follow.objects.filter(
        user_id=saved.user_id, kind=FollowKind.SEARCH, key=str(saved.pk)
    ).first()


def update_search(user: Any, pk: int, name: str, frequency: str) -> SavedSearch | None:
    """Rename a member's saved search and set its email choice; None if it is not theirs."""
    from geopol.follows.services import set_frequency

    saved = SavedSearch.objects.filter(user=user, pk=pk).first()
    if saved is None:
        return None
    if name.strip():
        saved.name = name.strip()[:120]
        saved.save(update_fields=["name"])
    follow = follow_of(saved)
    if follow is not None and frequency in Frequency.values:
        set_frequency(user, follow.pk, frequency)
    return saved


def delete_search(user: Any, pk: int) -> bool:
    with transaction.atomic():
        deleted, _ = SavedSearch.objects.filter(user=user, pk=pk).delete()
        Follow.objects.filter(user=user, kind=FollowKind.SEARCH, key=str(pk)).delete()
    return bool(deleted)


def matched_searches(
    article: Article, follows: list[tuple[int, int, str, str]]
) -> tuple[set[tuple[int, str]], dict[str, str]]:
    """Which of the emailed saved-search follows ((pk, user_id, key, frequency)...) `article`
    matches, each searched as its member may read (one search per distinct query, filters
    and tiers, bounded to the article's instant of publication): the (user_id, key) pairs
    that match, and each matching key's saved-search name."""
    searches = SavedSearch.objects.in_bulk([int(key) for _, _, key, _ in follows])
    users = get_user_model().objects.in_bulk({user_id for _, user_id, _, _ in follows})
    from geopol.follows.alerts import prime_permissions

    prime_permissions(users.values())
    groups: dict[tuple[str, str, frozenset[str]], list[tuple[int, str]]] = defaultdict(list)
    for _, user_id, key, _ in follows:
        saved, user = searches.get(int(key)), users.get(user_id)
        if saved is None or user is None:
            continue
        shape = json.dumps(saved.filters, sort_keys=True)
        groups[(saved.query, shape, readable_tiers(user))].append((user_id, key))
    # the second it was published (indexes key documents by whole seconds)
    second = article.published_at.replace(microsecond=0)
    instant = (second, second + dt.timedelta(seconds=1))
    matched: set[tuple[int, str]] = set()
    for (query, shape, _), members in groups.items():
        filters = json.loads(shape)
        dates = {k: (filters.pop(k, None) or [""])[0] for k in DATE_KEYS}
        results = search_articles(
            query,
            user=users[members[0][0]],
            limit=50,
            filters=filters,
            date_from=dates["from"],
            date_to=dates["to"],
            within=instant,
        )
        if any(item.article.pk == article.pk for item in results.items):
            matched.update(members)
    names = {key: searches[int(key)].name for _, key in matched}
    return matched, names
