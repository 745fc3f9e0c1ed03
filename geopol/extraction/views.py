from __future__ import annotations

import functools
from collections import Counter, defaultdict
from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from geopol.articles.access import can_read
from geopol.articles.models import Article
from geopol.extraction.directory import (
    LETTERS,
    PER_PAGE,
    ActorFilters,
    index_queryset,
    registry_names,
)
from geopol.extraction.models import Actor, ActorKind, ArticleEntity, EntityKind
from geopol.geo.models import Country


def actor_index(request: HttpRequest) -> HttpResponse:
    return _index(request, persons=False)


def person_index(request: HttpRequest) -> HttpResponse:
    return _index(request, persons=True)


def _index(request: HttpRequest, persons: bool) -> HttpResponse:
    """The actors (or persons) index: search, filters, A-Z, pages of PER_PAGE."""
    filters = ActorFilters.from_query(request.GET, persons)
    actors = index_queryset(request.user, filters, registry_names() if filters.q else {})
    page = Paginator(actors, PER_PAGE).get_page(request.GET.get("page"))
    url = functools.partial(filters.url, persons)
    return render(
        request,
        "extraction/actors.html",
        {
            "persons": persons,
            "filters": filters,
            "page": page,
            "kinds": [] if persons else ActorKind.choices,
            "countries": Country.objects.only("code", "name").order_by("name"),
            "letters": [(letter, url(letter=letter, page=None)) for letter in LETTERS],
            "all_letters_url": url(letter="", page=None),
            "previous_url": url(page=page.previous_page_number()) if page.has_previous() else "",
            "next_url": url(page=page.next_page_number()) if page.has_next() else "",
        },
    )


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.select_related("home"), slug=slug)
    entities = ArticleEntity.objects.kept().filter(kind=EntityKind.ACTOR, key=actor.slug)
    article_ids = entities.values("article_id")
    # only articles this reader may read: the tag may come from a members-only body
    articles = [
        a
        for a in Article.objects.published().filter(pk__in=article_ids).newest().for_listing()
        if can_read(request.user, a)
    ]
    timeline = [
        {"year": year, "items": list(items)}
        for year, items in groupby(articles, key=lambda a: a.published_at.year)
    ]
    ids = [a.pk for a in articles]
    others = (
        ArticleEntity.objects.kept()
        .filter(article_id__in=ids)
        .exclude(kind=EntityKind.ACTOR, key=actor.slug)
    )
    with_actors: Counter[str] = Counter()
    with_places: Counter[str] = Counter()
    names: dict[str, str] = {}
    places_by_key: dict[str, ArticleEntity] = {}
    seen: defaultdict[str, set[int]] = defaultdict(set)
    for entity in others.only("kind", "key", "name", "article_id", "lat", "lon", "country_id"):
        ident = entity.kind + (entity.key if entity.kind == EntityKind.ACTOR else entity.name)
        if entity.article_id in seen[ident]:
            continue
        seen[ident].add(entity.article_id)
        if entity.kind == EntityKind.ACTOR:
            with_actors[entity.key] += 1
            names[entity.key] = entity.name
        elif entity.kind == EntityKind.PLACE:
            with_places[entity.name] += 1
            places_by_key.setdefault(entity.name, entity)
    co_actors = {a.slug: a for a in Actor.objects.filter(slug__in=list(with_actors))}
    ranked = [(co_actors[k], n) for k, n in with_actors.most_common() if k in co_actors]
    return render(
        request,
        "extraction/actor.html",
        {
            "actor": actor,
            "countries": list(actor.countries.order_by("name")),
            "timeline": timeline,
            "article_count": len(articles),
            "article_ids": ids,
            "roles": actor.role_rows() if actor.is_person else [],
            "co_persons": [(a, n) for a, n in ranked if a.is_person][:10],
            "co_actors": [(a, n) for a, n in ranked if not a.is_person][:10],
            "co_places": [(places_by_key[k], n) for k, n in with_places.most_common(10)],
        },
    )
