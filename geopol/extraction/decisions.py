"""An editor's decisions on what the machine read, one click each (the editor's desk): confirm
or remove a proposed country, place or actor, add one it missed. Decisions survive
re-extraction (services.tag_article keeps them); a country decision re-tags the article at
once, so its country tags, search facets and pages follow down the change path."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from geopol.articles import changes
from geopol.articles.models import Article
from geopol.extraction.models import Actor, ArticleEntity, Decision, EntityKind
from geopol.extraction.places import place_key
from geopol.extraction.services import complete_entity, current_gazetteer, tag_article
from geopol.geo.gazetteer import PlaceRecord
from geopol.geo.models import Country


class DecisionError(ValueError):
    """What an editor asked for cannot be saved; the message says what to do."""


@dataclass(frozen=True)
class PlaceChoice:
    """A gazetteer place as an editor picks it: by name, with country and population."""

    key: str
    name: str
    country: str  # ISO code
    country_name: str
    population: int
    lat: float
    lon: float
    kind: str


def find_places(query: str, limit: int = 12) -> list[PlaceChoice]:
    """Places named `query` (or starting so) in the live gazetteer, for the place picker."""
    records = current_gazetteer().search(query, limit=limit)
    names = dict(
        Country.objects.filter(code__in={r.country for r in records}).values_list("code", "name")
    )
    return [_choice(r, names) for r in records]


def _choice(record: PlaceRecord, names: dict[str, str]) -> PlaceChoice:
    return PlaceChoice(
        key=place_key(record),
        name=record.name,
        country=record.country,
        country_name=names.get(record.country, record.country or "several countries"),
        population=record.population,
        lat=record.lat,
        lon=record.lon,
        kind=record.feature_kind or record.kind,
    )


def place_by_key(key: str, name: str) -> PlaceChoice | None:
    """The gazetteer place with this key among those called `name` (what the picker sent)."""
    for choice in find_places(name, limit=50):
        if choice.key == key:
            return choice
    return None


def _retag(article: Article, kind: str) -> None:
    # a country decision changes the article's country tags: the tagger applies it
    if kind == EntityKind.COUNTRY:
        tag_article(article)


@transaction.atomic
def decide(entity: ArticleEntity, decision: str) -> None:
    """Confirm or remove one proposal. Removing the editor's own addition deletes it; removing
    the machine's is remembered, so the next extraction does not propose it again."""
    if decision not in (Decision.CONFIRMED, Decision.REMOVED, Decision.PROPOSED):
        raise DecisionError(f"unknown decision {decision!r}")
    with changes.collect("desk"):
        if decision == Decision.REMOVED and entity.by_editor:
            entity.delete()
        else:
            entity.decision = decision
            entity.save(update_fields=["decision"])
        _retag(entity.article, entity.kind)


@transaction.atomic
def add_place(article: Article, key: str, name: str) -> ArticleEntity:
    """Add a gazetteer place the machine missed, chosen by name (`key` from find_places).
    A place must have coordinates to be drawn: a name the gazetteer does not know is
    refused, never stored without them."""
    choice = place_by_key(key, name) if key else None
    if choice is None:
        matches = find_places(name, limit=1) if name.strip() else []
        if not matches:
            raise DecisionError(
                f"“{name}” is not in the gazetteer, so it has no coordinates and would never "
                "be drawn: search another spelling, or add the place with its coordinates in "
                "the admin (Places) first"
            )
        raise DecisionError(f"pick “{name}” from the list, so its coordinates are known")
    return _add(
        article,
        ArticleEntity(
            article=article,
            kind=EntityKind.PLACE,
            key=choice.key,
            name=choice.name,
            lat=choice.lat,
            lon=choice.lon,
            country_id=choice.country or None,
        ),
    )


@transaction.atomic
def add_actor(article: Article, slug: str) -> ArticleEntity:
    actor = Actor.objects.filter(slug=slug).first()
    if actor is None:
        raise DecisionError(f"no actor {slug!r} in the registry; add it in the admin first")
    return _add(
        article,
        ArticleEntity(
            article=article, kind=EntityKind.ACTOR, key=actor.slug, name=actor.name, actor=actor
        ),
    )


@transaction.atomic
def add_country(article: Article, code: str, primary: bool = False) -> ArticleEntity:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise DecisionError(f"{code!r} is not an ISO 3166-1 alpha-2 code (ML, FR, US...)")
    return _add(
        article,
        ArticleEntity(
            article=article,
            kind=EntityKind.COUNTRY,
            key=country.code,
            name=country.name,
            country=country,
            primary=primary,
        ),
    )


def _add(article: Article, entity: ArticleEntity) -> ArticleEntity:
    with changes.collect("desk"):
        existing = ArticleEntity.objects.filter(
            article=article, kind=entity.kind, key=entity.key
        ).first()
        if existing is not None:  # the machine proposed it already, or it was removed
            existing.decision = Decision.CONFIRMED
            existing.save(update_fields=["decision"])
            entity = existing
        else:
            entity.by_editor = True
            entity.decision = Decision.CONFIRMED
            complete_entity(entity)
            if entity.kind == EntityKind.PLACE and (entity.lat is None or entity.lon is None):
                raise DecisionError(f"“{entity.name}” has no coordinates; it cannot be drawn")
            entity.save()
        _retag(article, entity.kind)
    return entity
