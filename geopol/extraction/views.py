from __future__ import annotations

from collections import Counter, defaultdict
from itertools import groupby

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from geopol.articles.access import can_read, readable_tiers
from geopol.articles.models import Article
from geopol.extraction.models import Actor, ActorKind, ArticleEntity, Decision, EntityKind


def actor_index(request: HttpRequest) -> HttpResponse:
    # an actor counts only in articles this reader may read: tags come from the text
    published = (
        Article.objects.published().filter(access__in=readable_tiers(request.user)).values("pk")
    )
    mentioned = Count(
        "articleentity",
        filter=Q(articleentity__article__in=published)
        & ~Q(articleentity__decision=Decision.REMOVED),
        distinct=True,
    )
    # only actors some analysis this reader may read mentions: the registry holds thousands
    # (persons, every country's forces) that the archive has never named
    actors = Actor.objects.annotate(n=mentioned).filter(n__gt=0).order_by("kind", "-n", "name")
    by_kind = []
    labels = dict(ActorKind.choices)
    for kind, group in groupby(actors, key=lambda a: a.kind):
        by_kind.append({"kind": labels.get(kind, kind), "actors": list(group)})
    return render(request, "extraction/actors.html", {"by_kind": by_kind})


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
    return render(
        request,
        "extraction/actor.html",
        {
            "actor": actor,
            "countries": list(actor.countries.order_by("name")),
            "timeline": timeline,
            "article_count": len(articles),
            "article_ids": ids,
            "co_actors": [
                (co_actors[k], n) for k, n in with_actors.most_common(10) if k in co_actors
            ],
            "co_places": [(places_by_key[k], n) for k, n in with_places.most_common(10)],
        },
    )
