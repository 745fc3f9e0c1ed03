"""Geoparsing wired to the database: the live gazetteer and registry, and tagging articles."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from geopol.articles.models import Article
from geopol.articles.rendering import plain_text
from geopol.articles.services import set_machine_countries
from geopol.extraction.actors import ActorDef, ActorIndex, registry_from_file
from geopol.extraction.models import Actor, ArticleEntity, Decision, EntityKind, Mention
from geopol.extraction.pipeline import Extraction, extract
from geopol.geo.gazetteer import Gazetteer, PlaceRecord, base_gazetteer
from geopol.geo.models import Country, Place

_lock = threading.Lock()
_cache: dict[str, tuple[Any, Any]] = {}


def _cached(name: str, version: Any, build: Any) -> Any:
    with _lock:
        hit = _cache.get(name)
        if hit is not None and hit[0] == version:
            return hit[1]
    value = build()
    with _lock:
        _cache[name] = (version, value)
    return value


def current_gazetteer() -> Gazetteer:
    """The built-in gazetteer plus the Place table (GeoNames dumps, editors' places)."""
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
            )
            for actor in Actor.objects.prefetch_related("countries")
        ]
        return ActorIndex.build(actors)

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


def article_text(article: Article) -> str:
    text = getattr(article, "_plain_text", None) or plain_text(article.body)
    captions = " ".join(f.caption for f in article.figures.all())
    return f"{text}\n\n{captions}" if captions else text


def extract_from_article(article: Article) -> Extraction:
    editor_codes = list(
        article.country_links.filter(by_editor=True).values_list("country_id", flat=True)
    )
    return extract(
        article_text(article),
        current_gazetteer(),
        current_actors(),
        title=article.title,
        known_countries=editor_codes,
    )


@transaction.atomic
def tag_article(article: Article) -> Extraction:
    """Re-extract and store the machine's proposals; editors' decisions stay as they are."""
    result = extract_from_article(article)
    decided = {
        (e.kind, e.key): e
        for e in ArticleEntity.objects.filter(article=article).exclude(
            decision=Decision.PROPOSED, by_editor=False
        )
    }
    ArticleEntity.objects.filter(
        article=article, decision=Decision.PROPOSED, by_editor=False
    ).delete()
    Mention.objects.filter(entity__article=article).delete()
    actors = {a.slug: a for a in Actor.objects.filter(slug__in=[a.id for a in result.actors])}
    known = set(Country.objects.values_list("code", flat=True))
    rows: list[ArticleEntity] = []
    for country in result.countries:
        rows.append(
            ArticleEntity(
                article=article,
                kind=EntityKind.COUNTRY,
                key=country.code,
                name=country.name,
                country_id=country.code if country.code in known else None,
                primary=country.primary,
                mentions=country.mentions,
            )
        )
    for place in result.places:
        rows.append(
            ArticleEntity(
                article=article,
                kind=EntityKind.PLACE,
                key=place.key,
                name=place.canonical,
                written_as=place.name[:200],
                country_id=place.country if place.country in known else None,
                lat=place.lat,
                lon=place.lon,
                mentions=place.mentions,
            )
        )
    for actor in result.actors:
        rows.append(
            ArticleEntity(
                article=article,
                kind=EntityKind.ACTOR,
                key=actor.id,
                name=actor.name,
                written_as=", ".join(actor.aliases_in_text)[:200],
                actor=actors.get(actor.id),
                mentions=actor.mentions,
            )
        )
    fresh = []
    for row in rows:
        existing = decided.get((row.kind, row.key))
        if existing is not None:
            existing.mentions = row.mentions
            existing.save(update_fields=["mentions"])
        else:
            fresh.append(row)
    ArticleEntity.objects.bulk_create(fresh)
    entity_ids = dict(
        ((kind, key), pk)
        for pk, kind, key in ArticleEntity.objects.filter(article=article).values_list(
            "pk", "kind", "key"
        )
    )
    Mention.objects.bulk_create(
        Mention(entity_id=entity_ids[(m.kind, m.key)], text=m.text[:200], start=m.start, end=m.end)
        for m in result.mentions
        if (m.kind, m.key) in entity_ids
    )
    removed = set(
        ArticleEntity.objects.filter(
            article=article, kind=EntityKind.COUNTRY, decision=Decision.REMOVED
        ).values_list("key", flat=True)
    )
    countries = [(c.code, c.primary) for c in result.countries if c.code not in removed]
    found = {code for code, _ in countries}
    added = ArticleEntity.objects.filter(
        article=article, kind=EntityKind.COUNTRY, by_editor=True
    ).exclude(decision=Decision.REMOVED)
    countries += [(e.key, e.primary) for e in added if e.key not in found]
    set_machine_countries(article, countries)

    return result
