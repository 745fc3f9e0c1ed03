"""Dated events in the database: written with the machine's tags (services.tag_article,
tag_articles), read as timelines for an article, a country and an actor.

Every timeline a reader is shown holds only events from bodies that reader may read
(EventQuerySet.readable_by over articles.access.readable_tiers): an event is a sentence of
the body, so a members-only analysis's events stay with its body, like its places.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from geopol.articles.access import readable_tiers
from geopol.articles.models import Article
from geopol.extraction.dates import dated_events
from geopol.extraction.models import ArticleEntity, EntityKind, Event
from geopol.extraction.results import EventResult
from geopol.geo.models import Country, Region

# How many events a country or actor page shows, newest first.
MERGED_LIMIT = 30


def write_events(
    items: Iterable[tuple[Article, Sequence[EventResult]]],
    entity_ids: dict[tuple[int, str, str], int],
) -> None:
    """Store the events of articles (article, events), each linked to the tags its sentence
    names; `entity_ids` maps (article id, kind, key) to the tag's id. Earlier events of
    those articles are replaced. Three statements for any number of articles."""
    pairs = list(items)
    anchors = {article.pk: article.published_at.date() for article, _ in pairs}
    by_id = [(article.pk, list(events)) for article, events in pairs]
    Event.objects.filter(article_id__in=list(anchors)).delete()
    rows = [
        Event(
            article_id=article_id,
            date=event.date,
            precision=event.precision,
            text=event.text[:100],
            sentence=event.sentence,
            position=event.start,
            anchor=anchors[article_id],
        )
        for article_id, events in by_id
        for event in events
    ]
    created = Event.objects.bulk_create(rows)  # SQLite and PostgreSQL return the new ids
    results = [event for _, events in by_id for event in events]
    through = Event.entities.through
    links = []
    for row, event in zip(created, results, strict=True):
        for kind, keys in (
            (EntityKind.PLACE, event.places),
            (EntityKind.ACTOR, event.actors),
            (EntityKind.COUNTRY, event.countries),
        ):
            for key in keys:
                entity_id = entity_ids.get((row.article_id, kind.value, key))
                if entity_id is not None:
                    links.append(through(event_id=row.pk, articleentity_id=entity_id))
    through.objects.bulk_create(links, ignore_conflicts=True)


def moved(articles: Sequence[Article]) -> list[Article]:
    """Those of `articles` whose events were resolved against another publication date than
    their own now (scheduled, or published later than written). One query."""
    stale = set(
        Event.objects.filter(article__in=[a.pk for a in articles])
        .values_list("article_id", "anchor")
        .distinct()
    )
    return [
        a for a in articles if any(pk == a.pk and day != a.published_at.date() for pk, day in stale)
    ]


def re_resolve(article: Article, text: str) -> None:
    """Resolve the dates of `text` (the article's, as the tagger read it) against the
    article's publication date again, with the tags and spans already stored."""
    spans = ArticleEntity.objects.filter(article=article).values_list(
        "pk", "kind", "key", "spans__start"
    )
    mentions = [_Span(kind, key, start) for _, kind, key, start in spans if start is not None]
    entity_ids = {(article.pk, kind, key): pk for pk, kind, key, _ in spans}
    write_events([(article, dated_events(text, article.published_at.date(), mentions))], entity_ids)


@dataclass(frozen=True)
class _Span:
    kind: str
    key: str
    start: int


def _with_entities(events: Any) -> list[Event]:
    return list(
        events.select_related("article").prefetch_related("entities__actor", "entities__country")
    )


def article_events(article: Article) -> list[Event]:
    """The article's events in date order (the order of the text on a tie)."""
    return _with_entities(Event.objects.filter(article=article).order_by("date", "position"))


def _naming(**tags: Any) -> Q:
    """Events whose sentence names a kept tag matching `tags`."""
    return Q(entities__in=ArticleEntity.objects.kept().filter(**tags).values("pk"))


def country_events(user: Any, country: Country, limit: int = MERGED_LIMIT) -> list[Event]:
    """Events about `country`, newest first: every event of an analysis whose primary
    country it is, and the events of other analyses whose sentence names it or a place in
    it. Only from bodies `user` may read."""
    primary = Article.objects.filter(
        country_links__country=country, country_links__primary=True
    ).values("pk")
    about = (
        Q(article__in=primary)
        | _naming(kind=EntityKind.COUNTRY, key=country.code)
        | _naming(kind=EntityKind.PLACE, country=country)
    )
    ids = Event.objects.readable_by(readable_tiers(user)).filter(about).values("pk").distinct()
    return _with_entities(Event.objects.filter(pk__in=ids).newest()[:limit])


def region_events(user: Any, region: Region, limit: int = MERGED_LIMIT) -> list[Event]:
    """Events of the analyses whose primary country is in `region`, newest first; only from
    bodies `user` may read."""
    primary = Article.objects.filter(
        country_links__country__region=region, country_links__primary=True
    ).values("pk")
    ids = (
        Event.objects.readable_by(readable_tiers(user))
        .filter(article__in=primary)
        .values("pk")
        .distinct()
    )
    return _with_entities(Event.objects.filter(pk__in=ids).newest()[:limit])


def actor_events(user: Any, slug: str, limit: int = MERGED_LIMIT) -> list[Event]:
    """Events whose sentence names the actor (or person) `slug`, newest first; only from
    bodies `user` may read."""
    ids = (
        Event.objects.readable_by(readable_tiers(user))
        .filter(_naming(kind=EntityKind.ACTOR, key=slug))
        .values("pk")
        .distinct()
    )
    return _with_entities(Event.objects.filter(pk__in=ids).newest()[:limit])


def articles_events(
    user: Any, article_ids: Sequence[int], limit: int = MERGED_LIMIT
) -> list[Event]:
    """The events of the analyses `article_ids` (a storyline's), newest first; only from
    bodies `user` may read."""
    events = Event.objects.readable_by(readable_tiers(user)).filter(article_id__in=article_ids)
    return _with_entities(events.newest()[:limit])
