"""Actors, persons and places in the API: the registries as the site's indexes show them.

An actor or place counts only in analyses the caller may read, as on /actors/: a tag comes
from the text, so one found only in a members-only body is neither listed nor counted for a
reader who may not read it. Persons are listed whole, as the registry is public facts."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from geopol.api.schemas import MAX_PAGE, ListWindow, Message, ValidationErrorOut
from geopol.articles.access import readable_tiers
from geopol.articles.models import Article
from geopol.extraction.directory import ActorFilters, index_queryset, registry_names
from geopol.extraction.models import Actor, ActorKind, ArticleEntity, EntityKind

router = Router(tags=["actors, persons and places"])
RECENT_ANALYSES = 20  # the newest analyses naming an actor, in its detail


class RoleOut(Schema):
    office: str
    country: str = Field(description="ISO 3166-1 alpha-2")
    start: int | None
    end: int | None = Field(description="null while in office")


class ActorOut(Schema):
    slug: str
    name: str
    kind: ActorKind
    home: str | None = Field(description="ISO 3166-1 alpha-2 of its base country")
    countries: list[str]
    url: str
    analyses: int = Field(description="analyses the caller may read that name it")


class ActorPage(Schema):
    items: list[ActorOut]
    count: int


class AnalysisRef(Schema):
    slug: str
    title: str
    url: str
    published: str


class ActorDetail(ActorOut):
    aliases: list[str]
    roles: list[RoleOut] = Field(description="offices with years, for persons")
    note: str
    latest: list[AnalysisRef] = Field(description="the newest analyses naming it, readable")


class ActorQuery(Schema):
    q: str = Field("", description="a name in any spelling the registry knows")
    kind: ActorKind | None = None
    country: str = Field("", description="ISO 3166-1 alpha-2")


class PersonQuery(Schema):
    q: str = Field("", description="a name in any spelling the registry knows")
    country: str = Field("", description="ISO 3166-1 alpha-2 of a country they served")


class PlaceOut(Schema):
    key: str = Field(description="geonames:ID, or the key of a region or an approximate place")
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    analyses: int = Field(description="analyses the caller may read that name it")


class PlacePage(Schema):
    items: list[PlaceOut]
    count: int


class PlaceQuery(Schema):
    q: str = Field("", description="the start of the place's name")
    country: str = Field("", description="ISO 3166-1 alpha-2")


def _actor(actor: Actor) -> dict:
    return {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "home": actor.home_id,
        "countries": sorted(c.code for c in actor.countries.all()),
        "url": actor.get_absolute_url(),
        "analyses": getattr(actor, "n", 0),
    }


def _actor_page(request: HttpRequest, filters: ActorFilters, window: ListWindow) -> dict:
    names = registry_names() if filters.q else {}
    actors = index_queryset(request.user, filters, names)
    end = window.offset + min(window.limit, MAX_PAGE)
    return {"items": [_actor(a) for a in actors[window.offset : end]], "count": actors.count()}


@router.get("/actors", response={200: ActorPage, 422: ValidationErrorOut})
def list_actors(request: HttpRequest, query: Query[ActorQuery], window: Query[ListWindow]):
    """Actors some analysis the caller may read names, most named first; `kind=person`
    lists the whole persons registry."""
    filters = ActorFilters(q=query.q.strip(), kind=query.kind or "", country=query.country.upper())
    return _actor_page(request, filters, window)


@router.get("/persons", response={200: ActorPage, 422: ValidationErrorOut})
def list_persons(request: HttpRequest, query: Query[PersonQuery], window: Query[ListWindow]):
    """The persons registry (heads of state and government, ministers, commanders, heads of
    international bodies), those named most in readable analyses first."""
    filters = ActorFilters(q=query.q.strip(), kind=ActorKind.PERSON, country=query.country.upper())
    return _actor_page(request, filters, window)


@router.get("/actors/{slug}", response={200: ActorDetail, 404: Message})
def get_actor(request: HttpRequest, slug: str):
    """One actor or person: names, offices, countries and the newest analyses naming it."""
    actor = get_object_or_404(Actor.objects.prefetch_related("countries"), slug=slug)
    readable = Article.objects.published().filter(access__in=readable_tiers(request.user))
    naming = ArticleEntity.objects.kept().filter(kind=EntityKind.ACTOR, key=actor.slug)
    articles = readable.filter(pk__in=naming.values("article_id"))
    latest = articles.newest().only("slug", "title", "published_at")[:RECENT_ANALYSES]
    return {
        **_actor(actor),
        "analyses": articles.count(),
        "aliases": list(actor.aliases),
        "roles": [
            {
                "office": r["office"],
                "country": r["country"],
                "start": r.get("start"),
                "end": r.get("end"),
            }
            for r in actor.role_list()
        ],
        "note": actor.note,
        "latest": [
            {
                "slug": a.slug,
                "title": a.title,
                "url": a.get_absolute_url(),
                "published": a.published_at.isoformat(),
            }
            for a in latest
        ],
    }


@router.get("/places", response={200: PlacePage, 422: ValidationErrorOut})
def list_places(request: HttpRequest, query: Query[PlaceQuery], window: Query[ListWindow]):
    """Places named in analyses the caller may read, most named first."""
    readable = Article.objects.published().filter(access__in=readable_tiers(request.user))
    places = ArticleEntity.objects.kept().filter(
        kind=EntityKind.PLACE, article__in=readable.values("pk")
    )
    if query.q.strip():
        places = places.filter(Q(name__istartswith=query.q.strip()))
    if query.country:
        places = places.filter(country_id=query.country.upper())
    grouped = places.values("key").annotate(n=Count("article", distinct=True)).order_by("-n", "key")
    end = window.offset + min(window.limit, MAX_PAGE)
    page = list(grouped[window.offset : end])
    first = {}  # one row per key for its name and point: the first tag written
    for row in (
        ArticleEntity.objects.filter(kind=EntityKind.PLACE, key__in=[r["key"] for r in page])
        .order_by("pk")
        .values("key", "name", "country_id", "lat", "lon")
    ):
        first.setdefault(row["key"], row)
    items = [
        {
            "key": row["key"],
            "name": first[row["key"]]["name"],
            "country": first[row["key"]]["country_id"],
            "lat": first[row["key"]]["lat"],
            "lon": first[row["key"]]["lon"],
            "analyses": row["n"],
        }
        for row in page
    ]
    return {"items": items, "count": grouped.count()}
