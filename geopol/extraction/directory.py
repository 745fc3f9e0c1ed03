"""The actors and persons indexes: who the archive names, searchable by name (any spelling
the registry knows: "Erdogan" finds Erdoğan), filtered by kind, country, first letter and
recent mention, and paginated by the database, so a page costs the same queries at 100
actors as at 3,000 (tests/test_query_budgets.py)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from geopol.articles.access import readable_tiers
from geopol.articles.models import Article
from geopol.extraction.actors import full_registry
from geopol.extraction.models import Actor, ActorKind, Decision
from geopol.geo.gazetteer import fold_name, name_keys

PER_PAGE = 60
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
RECENT_DAYS = 90  # "mentioned lately": in an analysis of the last three months
MAX_NAME_MATCHES = 500  # a one-letter search matches half the registry: the name filter does


@dataclass(frozen=True)
class ActorFilters:
    """What the reader asked the index for, read from the query string."""

    q: str = ""
    kind: str = ""
    country: str = ""
    letter: str = ""
    recent: bool = False

    @classmethod
    def from_query(cls, params: Mapping[str, str], persons: bool) -> ActorFilters:
        kind = params.get("kind", "")
        letter = params.get("letter", "").upper()
        return cls(
            q=params.get("q", "").strip()[:100],
            kind=ActorKind.PERSON if persons else (kind if kind in ActorKind.values else ""),
            country=params.get("country", "").upper()[:2],
            letter=letter if len(letter) == 1 and letter in LETTERS else "",
            recent=params.get("recent") == "1",
        )

    def url(self, persons: bool, **changes: Any) -> str:
        """The query string of this selection with `changes` ("" or False drops a filter)."""
        chosen = replace(self, **{k: v for k, v in changes.items() if k != "page"})
        pairs = [
            ("q", chosen.q),
            ("kind", "" if persons else chosen.kind),
            ("country", chosen.country),
            ("letter", chosen.letter),
            ("recent", "1" if chosen.recent else ""),
            ("page", str(changes.get("page") or "")),
        ]
        query = urlencode([(k, v) for k, v in pairs if v])
        return f"?{query}" if query else "?"

    @property
    def active(self) -> bool:
        return bool(self.q or self.country or self.letter or self.recent)


@functools.cache
def registry_names() -> dict[str, tuple[str, ...]]:
    """Every folded name, alias and acronym of the shipped registries, to the actors' slugs:
    read from the files once per process, so a search costs no query (the database's index,
    `current_actors()`, re-checks its version now and then, a query that comes and goes).
    Actors editors add in the admin are found by their name (`name__icontains`)."""
    names: dict[str, list[str]] = {}
    for actor in full_registry():
        for name in (actor.name, *actor.aliases, *actor.acronyms):
            for key in name_keys(name):
                ids = names.setdefault(key, [])
                if actor.id not in ids:
                    ids.append(actor.id)
    return {key: tuple(ids) for key, ids in names.items()}


def matching_slugs(typed: str, aliases: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The actors one of whose names (folded: case, accents, hyphens) contains what was typed."""
    folded = fold_name(typed)
    if not folded:
        return []
    found: dict[str, None] = {}
    for name, ids in aliases.items():
        if folded in name:
            found.update(dict.fromkeys(ids))
            if len(found) >= MAX_NAME_MATCHES:
                break
    return list(found)


def index_queryset(
    user: Any, filters: ActorFilters, aliases: Mapping[str, tuple[str, ...]]
) -> QuerySet[Actor]:
    """The actors of the index, each with `n`, the analyses this reader may read that name
    them. Persons are all listed (the registry is worth browsing); other actors only when
    some analysis names them (every country's derived forces would drown the list)."""
    published = Article.objects.published().filter(access__in=readable_tiers(user)).values("pk")
    tagged = Q(articleentity__article__in=published) & ~Q(articleentity__decision=Decision.REMOVED)
    actors = Actor.objects.annotate(n=Count("articleentity", filter=tagged, distinct=True))
    if filters.kind == ActorKind.PERSON:
        actors = actors.filter(kind=ActorKind.PERSON)
    else:
        actors = actors.filter(n__gt=0)
        if filters.kind:
            actors = actors.filter(kind=filters.kind)
    if filters.recent:
        since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
        lately = tagged & Q(articleentity__article__published_at__gte=since)
        actors = actors.annotate(lately=Count("articleentity", filter=lately, distinct=True))
        actors = actors.filter(lately__gt=0)
    if filters.country:
        actors = actors.filter(countries__code=filters.country)
    if filters.letter:
        actors = actors.filter(name__istartswith=filters.letter)
    if filters.q:
        named = Q(name__icontains=filters.q) | Q(slug__in=matching_slugs(filters.q, aliases))
        actors = actors.filter(named)
    by_name = Lower("name")  # "al Qaeda ..." among the A's, not after "Z"
    order = (by_name,) if filters.letter else ("-n", by_name)
    return actors.order_by(*order).select_related("home").prefetch_related("countries")
