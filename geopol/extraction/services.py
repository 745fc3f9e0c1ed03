"""Geoparsing wired to the database: the live gazetteer and registry, and tagging articles."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from geopol.articles import changes
from geopol.articles.changes import ChangedArticle
from geopol.articles.models import Article
from geopol.articles.rendering import plain_text
from geopol.articles.services import (
    add_machine_countries,
    known_country_codes,
    set_machine_countries,
)
from geopol.core.db import insert_rows
from geopol.extraction.actors import ActorDef, ActorIndex, Role, registry_from_file
from geopol.extraction.models import Actor, ArticleEntity, Decision, EntityKind, Mention
from geopol.extraction.ner import Proposals
from geopol.extraction.persons import persons_from_file
from geopol.extraction.pipeline import Extraction, extract
from geopol.extraction.timelines import write_events
from geopol.geo.gazetteer import Gazetteer, PlaceRecord, base_gazetteer
from geopol.geo.models import Country, Place

_lock = threading.Lock()
_cache: dict[str, tuple[Any, Any, float]] = {}
# How long a process trusts its gazetteer and registry before asking the database whether an
# editor changed them: one cheap query a second instead of one per article.
RECHECK_SECONDS = 2.0


def _cached(name: str, version: Any, build: Any) -> Any:
    with _lock:
        hit = _cache.get(name)
        if hit is not None and hit[0] == version:
            _cache[name] = (version, hit[1], time.monotonic())  # checked just now
            return hit[1]
    value = build()
    with _lock:
        _cache[name] = (version, value, time.monotonic())
    return value


def _fresh(name: str) -> Any | None:
    """The cached value when it was checked within RECHECK_SECONDS, else None."""
    hit = _cache.get(name)
    if hit is not None and time.monotonic() - hit[2] < RECHECK_SECONDS:
        return hit[1]
    return None


def forget_cached() -> None:
    """Make this process re-read the gazetteer and the registry on next use."""
    with _lock:
        _cache.clear()


def current_gazetteer() -> Gazetteer:
    """The built-in gazetteer plus the Place table (GeoNames dumps, editors' places)."""
    if (recent := _fresh("gazetteer")) is not None:
        return recent  # type: ignore[no-any-return]
    version = tuple(Place.objects.aggregate(n=Count("id"), last=Max("id")).values())

    def build() -> Gazetteer:
        base = base_gazetteer()
        gazetteer = replace(base, extra={})
        gazetteer.add_places(
            (
                place.names(),
                PlaceRecord(
                    name=place.name,
                    lat=place.lat,
                    lon=place.lon,
                    country=place.country_id,
                    kind={"P": "city", "A": "admin"}.get(place.feature_class, "custom"),
                    population=place.population,
                    geonames_id=place.geonames_id,
                    admin1=place.admin1,
                    # towns are plain cities; other GeoNames classes keep their code (adm1...)
                    feature_kind="" if place.feature_class == "P" else place.feature_code.lower(),
                ),
            )
            for place in Place.objects.for_gazetteer().iterator()
        )
        return gazetteer

    return _cached("gazetteer", version, build)


def current_actors() -> ActorIndex:
    if (recent := _fresh("actors")) is not None:
        return recent  # type: ignore[no-any-return]
    version = tuple(Actor.objects.aggregate(n=Count("id"), last=Max("updated_at")).values())

    def build() -> ActorIndex:
        actors = [
            ActorDef(
                id=actor.slug,
                name=actor.name,
                kind=actor.kind,
                aliases=tuple(actor.aliases),
                acronyms=tuple(actor.acronyms),
                home=actor.home_id,
                countries=tuple(c.code for c in actor.countries.all()),
                note=actor.note,
                short=tuple(actor.short_names),
                roles=tuple(Role(**r) for r in actor.roles),
            )
            for actor in Actor.objects.prefetch_related("countries")
        ]
        index = ActorIndex.build(actors)
        index.pks = dict(Actor.objects.values_list("slug", "pk"))
        return index

    return _cached("actors", version, build)


def sync_actors_from_registry(actor_model: Any = Actor, country_model: Any = Country) -> int:
    """Create or update every actor of data/actors.yaml; editors' own actors are kept."""
    codes = set(country_model.objects.values_list("code", flat=True))
    count = 0
    for definition in registry_from_file():
        actor, _ = actor_model.objects.update_or_create(
            slug=definition.id,
            defaults={
                "name": definition.name,
                "kind": definition.kind,
                "aliases": list(definition.aliases),
                "acronyms": list(definition.acronyms),
                "home_id": definition.home if definition.home in codes else None,
                "note": definition.note[:300],
            },
        )
        actor.countries.set([c for c in definition.countries if c in codes])
        count += 1
    return count


def sync_persons_from_registry(actor_model: Any = Actor, country_model: Any = Country) -> int:
    """Create or update every person of data/persons/, a few statements for all of them
    (2,000 update_or_create calls took most of a migration)."""
    codes = set(country_model.objects.values_list("code", flat=True))
    persons = persons_from_file()
    existing = dict(actor_model.objects.values_list("slug", "pk"))
    rows = []
    now = timezone.now()  # bulk_update skips auto_now, and current_actors() reads it
    for person in persons:
        rows.append(
            actor_model(
                pk=existing.get(person.id),
                slug=person.id,
                name=person.name,
                kind=person.kind,
                aliases=list(person.aliases),
                acronyms=[],
                home_id=person.home if person.home in codes else None,
                note=person.note[:300],
                short_names=list(person.short),
                roles=[r.as_dict() for r in person.roles],
                updated_at=now,
            )
        )
    fields = ["name", "kind", "aliases", "acronyms", "home_id", "note", "short_names", "roles"]
    fields.append("updated_at")
    actor_model.objects.bulk_update([r for r in rows if r.pk], fields, batch_size=500)
    actor_model.objects.bulk_create([r for r in rows if not r.pk], batch_size=500)
    pks = dict(actor_model.objects.values_list("slug", "pk"))
    pks = {p.id: pks[p.id] for p in persons}
    through = actor_model.countries.through
    through.objects.filter(actor_id__in=pks.values()).delete()
    through.objects.bulk_create(
        [
            through(actor_id=pks[p.id], country_id=code)
            for p in persons
            for code in p.countries
            if code in codes
        ],
        batch_size=1000,
    )
    return len(persons)


def article_text(article: Article, known: ChangedArticle | None = None) -> str:
    """The text the geoparser reads: the body's plain text and the figures' captions, from
    what the writer knew (`known`, a change path entry) or else from the database."""
    text = (known and known.plain_text) or plain_text(article.body)
    captions = known.captions if known is not None else None
    if captions is None:
        captions = " ".join(f.caption for f in article.figures.all())
    return f"{text}\n\n{captions}" if captions else text


def extract_from_article(
    article: Article,
    known: ChangedArticle | None = None,
    propose: Callable[[str], Proposals] | None = None,
) -> Extraction:
    editor_codes = known.editor_countries if known is not None else None
    if editor_codes is None:
        editor_codes = tuple(
            article.country_links.filter(by_editor=True).values_list("country_id", flat=True)
        )
    return extract(
        article_text(article, known),
        current_gazetteer(),
        current_actors(),
        title=article.title,
        known_countries=editor_codes,
        published=article.published_at.date(),  # events resolve against the dateline
        propose=propose,
    )


ENTITY_FIELDS = (
    "article_id",
    "kind",
    "key",
    "name",
    "written_as",
    "country_id",
    "lat",
    "lon",
    "actor_id",
    "primary",
    "mentions",
    "by_editor",
    "decision",
)


def _entity_values(
    article_id: int, result: Extraction, actor_pks: dict[str, int], known: frozenset[str]
) -> list[dict[str, Any]]:
    """The machine's proposals for one article: a value for each of ENTITY_FIELDS."""
    blank = {
        "article_id": article_id,
        "written_as": "",
        "country_id": None,
        "lat": None,
        "lon": None,
        "actor_id": None,
        "primary": False,
        "by_editor": False,
        "decision": Decision.PROPOSED.value,  # plain str: psycopg writes an enum by its name
    }
    rows: list[dict[str, Any]] = []
    for country in result.countries:
        rows.append(
            blank
            | {
                "kind": EntityKind.COUNTRY.value,
                "key": country.code,
                "name": country.name,
                "country_id": country.code if country.code in known else None,
                "primary": country.primary,
                "mentions": country.mentions,
            }
        )
    for place in result.places:
        rows.append(
            blank
            | {
                "kind": EntityKind.PLACE.value,
                "key": place.key,
                "name": place.canonical,
                "written_as": place.name[:200],
                "country_id": place.country if place.country in known else None,
                "lat": place.lat,
                "lon": place.lon,
                "mentions": place.mentions,
            }
        )
    for actor in result.actors:
        rows.append(
            blank
            | {
                "kind": EntityKind.ACTOR.value,
                "key": actor.id,
                "name": actor.name,
                "written_as": ", ".join(actor.aliases_in_text)[:200],
                "actor_id": actor_pks.get(actor.id),
                "mentions": actor.mentions,
            }
        )
    return rows


MENTION_FIELDS = ("entity_id", "text", "start", "end")


@transaction.atomic
@changes.collect("tagging")
def tag_article(
    article: Article,
    created: bool = False,
    known: ChangedArticle | None = None,
    propose: Callable[[str], Proposals] | None = None,
) -> Extraction:
    """Re-extract and store the machine's proposals; editors' decisions stay as they are.

    `created`: the article is new, so there is nothing earlier to keep or clear. `known`:
    what the change path says of it (text, captions, the editor's countries). `propose`:
    NER span proposals (`ner.propose`, from the `tag_with_ner` task).
    """
    result = extract_from_article(article, known, propose)
    decided = {} if created else _clear_proposals(article)
    codes = known_country_codes()
    rows = [
        ArticleEntity(**values)
        for values in _entity_values(article.pk, result, current_actors().pks, codes)
    ]
    fresh = []
    entity_ids: dict[tuple[str, str], int] = {}
    for row in rows:
        existing = decided.get((row.kind, row.key))
        if existing is not None:
            if existing.mentions != row.mentions:
                existing.mentions = row.mentions
                ArticleEntity.objects.filter(pk=existing.pk).update(mentions=row.mentions)
            entity_ids[(row.kind, row.key)] = existing.pk
        else:
            fresh.append(row)
    # SQLite and PostgreSQL both return the new primary keys from bulk_create
    for row in ArticleEntity.objects.bulk_create(fresh):
        entity_ids[(row.kind, row.key)] = row.pk
    insert_rows(
        Mention,
        MENTION_FIELDS,
        (
            (entity_ids[(m.kind, m.key)], m.text[:200], m.start, m.end)
            for m in result.mentions
            if (m.kind, m.key) in entity_ids
        ),
    )
    write_events([(article, result.events)], {(article.pk, *k): v for k, v in entity_ids.items()})
    countries = _countries_with_decisions(result, decided)
    given = known.editor_countries if known is not None else None
    set_machine_countries(article, countries, known=codes, created=created, given=given)
    return result


def _clear_proposals(article: Article) -> dict[tuple[str, str], ArticleEntity]:
    """Delete the machine's earlier proposals and spans for `article`; return the entities
    an editor decided on or added, by (kind, key), which stay."""
    decided = {
        (e.kind, e.key): e
        for e in ArticleEntity.objects.filter(article=article).exclude(
            decision=Decision.PROPOSED, by_editor=False
        )
    }
    Mention.objects.filter(entity__article=article).delete()
    ArticleEntity.objects.filter(
        article=article, decision=Decision.PROPOSED, by_editor=False
    ).delete()
    return decided


def _countries_with_decisions(
    result: Extraction, decided: dict[tuple[str, str], ArticleEntity]
) -> list[tuple[str, bool]]:
    """(code, primary) of the machine's countries less those an editor removed, then those
    an editor added."""
    removed = {
        k
        for (kind, k), e in decided.items()
        if kind == EntityKind.COUNTRY and e.decision == Decision.REMOVED
    }
    countries = [(c.code, c.primary) for c in result.countries if c.code not in removed]
    found = {code for code, _ in countries}
    countries += [
        (e.key, e.primary)
        for (kind, key), e in decided.items()
        if kind == EntityKind.COUNTRY
        and e.by_editor
        and e.decision != Decision.REMOVED
        and key not in found
    ]
    return countries


def tag_articles(items: list[tuple[ChangedArticle, Article]]) -> None:
    """tag_article for the articles of one change (from ArticleChange.loaded): the tags,
    spans and countries of new articles whose writer gave all their countries (an import)
    are written together, one statement each."""
    new = [(i, a) for i, a in items if i.created and i.editor_countries is not None]
    for item, article in items:
        if not (item.created and item.editor_countries is not None):
            tag_article(article, known=item)  # editors' decisions to keep: one at a time
    if not new:
        return
    known = known_country_codes()
    actor_pks = current_actors().pks
    results = [(item, article, extract_from_article(article, item)) for item, article in new]
    insert_rows(
        ArticleEntity,
        ENTITY_FIELDS,
        (
            tuple(values[name] for name in ENTITY_FIELDS)
            for _, article, result in results
            for values in _entity_values(article.pk, result, actor_pks, known)
        ),
    )
    # a new article has no other tags, so its tags' ids are read back by article and key
    entity_ids: dict[tuple[int, str, str], int] = {}
    ids = [article.pk for _, article in new]
    for start in range(0, len(ids), 500):
        entity_ids.update(
            ((article_id, kind, key), pk)
            for pk, article_id, kind, key in ArticleEntity.objects.filter(
                article_id__in=ids[start : start + 500]
            )
            .order_by()
            .values_list("pk", "article_id", "kind", "key")
        )
    insert_rows(
        Mention,
        MENTION_FIELDS,
        (
            (entity_ids[(article.pk, m.kind, m.key)], m.text[:200], m.start, m.end)
            for _, article, result in results
            for m in result.mentions
            if (article.pk, m.kind, m.key) in entity_ids
        ),
    )
    write_events(((article, result.events) for _, article, result in results), entity_ids)
    add_machine_countries(
        (
            (
                article.pk,
                item.editor_countries or (),
                [(c.code, c.primary) for c in result.countries],
            )
            for item, article, result in results
        ),
        known=known,
    )


def complete_entity(entity: ArticleEntity) -> None:
    """Fill in what an editor's tag implies: the actor for an actor's slug, the coordinates
    and country of a geonames:ID place, the country for an ISO code."""
    key = entity.key.strip()
    if entity.kind == EntityKind.ACTOR and entity.actor_id is None:
        actor = Actor.objects.filter(slug=key).first()
        if actor is not None:
            entity.actor = actor
            entity.name = entity.name or actor.name
    elif entity.kind == EntityKind.COUNTRY:
        code = key.upper()
        if code in known_country_codes():
            entity.key, entity.country_id = code, code
    elif entity.kind == EntityKind.PLACE and entity.lat is None and key.startswith("geonames:"):
        try:
            geonames_id = int(key.split(":", 1)[1])
        except ValueError:
            return
        place = Place.objects.filter(geonames_id=geonames_id).first()
        if place is not None:
            entity.lat, entity.lon, entity.country_id = place.lat, place.lon, place.country_id
            entity.name = entity.name or place.name
            return
        cities = current_gazetteer().cities
        try:
            index = cities.geonames_id.index(geonames_id)
        except ValueError:
            return
        record = cities.record(index)
        entity.lat, entity.lon = record.lat, record.lon
        entity.country_id = record.country if record.country in known_country_codes() else None
        entity.name = entity.name or record.name
