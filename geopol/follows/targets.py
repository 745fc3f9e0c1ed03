"""What can be followed, read from the other apps' tables: names, pages, and the tags of
articles that follows match."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q

from geopol.articles.models import Article, ArticleCountry, Author, Topic
from geopol.extraction.models import Actor, ArticleEntity, Decision, EntityKind
from geopol.extraction.visibility import public_entity_ids
from geopol.follows.models import FollowKind, SavedSearch
from geopol.follows.reasons import ActorTag, ArticleTags, CountryTag
from geopol.geo.models import Country, Region
from geopol.related.models import Storyline, StorylineArticle

# the model behind each kind of follow and the field a follow's key holds
MODELS: dict[str, tuple[type[Model], str]] = {
    FollowKind.REGION: (Region, "slug"),
    FollowKind.COUNTRY: (Country, "code"),
    FollowKind.ACTOR: (Actor, "slug"),
    FollowKind.TOPIC: (Topic, "slug"),
    FollowKind.AUTHOR: (Author, "slug"),
    FollowKind.STORYLINE: (Storyline, "pk"),  # an editor may change its slug
}


def _lookup(kind: str, keys: Iterable[str]) -> dict[str, Any] | None:
    """The filter finding the `kind` objects of these keys, or None when no key can be one
    (an id that is not a number)."""
    field = MODELS[kind][1]
    keys = list(keys)
    if field == "pk":
        keys = [k for k in keys if k.isdigit()]
    return {f"{field}__in": keys} if keys else None


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    name: str
    url: str


def target_of(obj: Any) -> tuple[str, str]:
    """(kind, key) of a Region, Country, Actor, Topic, Author or Storyline."""
    for kind, (model, field) in MODELS.items():
        if isinstance(obj, model):
            return kind, str(getattr(obj, field))
    raise TypeError(f"{type(obj).__name__} cannot be followed")


def find_target(kind: str, key: str) -> Any | None:
    lookup = _lookup(kind, [key]) if kind in MODELS else None
    if lookup is None:
        return None
    return MODELS[kind][0]._default_manager.filter(**lookup).first()


def describe(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Target]:
    """Names and pages of followed things, a query per kind."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for kind, key in pairs:
        wanted[kind].add(key)
    found: dict[tuple[str, str], Target] = {}
    searches = [int(k) for k in wanted.pop(FollowKind.SEARCH, ()) if k.isdigit()]
    for saved in SavedSearch.objects.filter(pk__in=searches):
        key = str(saved.pk)
        name = f"your saved search ‘{saved.name}’"
        url = saved.get_absolute_url()
        found[(FollowKind.SEARCH, key)] = Target(FollowKind.SEARCH, key, name, url)
    for kind, keys in wanted.items():
        lookup = _lookup(kind, keys) if kind in MODELS else None
        if lookup is None:
            continue
        model, field = MODELS[kind]
        for obj in model._default_manager.filter(**lookup):
            key = str(getattr(obj, field))
            found[(kind, key)] = Target(kind, key, str(obj), obj.get_absolute_url())  # type: ignore[attr-defined]
    return found


def load_tags(article_ids: Iterable[int]) -> dict[int, ArticleTags]:
    """The followable tags of each article: a fixed number of queries, whatever the number of
    articles."""
    ids = list(article_ids)
    tags = {pk: ArticleTags() for pk in ids}
    mentions: dict[tuple[int, str], tuple[int, bool]] = {
        (article_id, key): (n, primary)
        for article_id, key, n, primary in ArticleEntity.objects.kept()
        .filter(article_id__in=ids, kind=EntityKind.COUNTRY)
        .values_list("article_id", "key", "mentions", "primary")
    }
    for link in ArticleCountry.objects.filter(article_id__in=ids).select_related("country__region"):
        n, _ = mentions.get((link.article_id, link.country_id), (0, False))
        country = link.country
        tags[link.article_id].countries[country.code] = CountryTag(
            code=country.code,
            name=country.name,
            region=country.region.slug,
            primary=link.primary,
            mentions=n,
            given=True,  # countries, the machine's too, are public metadata of a piece
        )
        tags[link.article_id].region_names[country.region.slug] = country.region.name
    shown = public_entity_ids(list(Article.objects.filter(pk__in=ids).only("title", "summary")))
    for entity in (
        ArticleEntity.objects.kept()
        .filter(article_id__in=ids, kind=EntityKind.ACTOR)
        .only("article_id", "key", "name", "mentions", "by_editor")
    ):
        tags[entity.article_id].actors[entity.key] = ActorTag(
            slug=entity.key, name=entity.name, mentions=entity.mentions, given=entity.pk in shown
        )
    topics = Article.topics.through.objects.filter(article_id__in=ids)
    for article_id, slug, name in topics.values_list("article_id", "topic__slug", "topic__name"):
        tags[article_id].topics[slug] = name
    authors = Article.authors.through.objects.filter(article_id__in=ids)
    for article_id, slug, name in authors.values_list("article_id", "author__slug", "author__name"):
        tags[article_id].authors[slug] = name
    links = StorylineArticle.objects.filter(article_id__in=ids, removed=False)
    for article_id, pk, name in links.values_list("article_id", "storyline_id", "storyline__name"):
        tags[article_id].storylines[str(pk)] = name
    return tags


def follows_q(targets: dict[str, set[str]]) -> Q:
    """Follows matching any of `targets` (kind -> keys); matches nothing when empty."""
    q = Q(pk__in=[])
    for kind, keys in targets.items():
        if keys:
            q |= Q(kind=kind, key__in=sorted(keys))
    return q


def articles_q(pairs: Iterable[tuple[str, str]], tiers: frozenset[str]) -> Q:
    """Articles matching any followed (kind, key). Country and region tags count for every
    article (public metadata); an actor the geoparser found counts only for articles whose
    body the reader may read (`tiers`), or when an editor gave or confirmed it."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for kind, key in pairs:
        wanted[kind].append(key)
    visible = (
        Q(by_editor=True) | Q(decision=Decision.CONFIRMED) | Q(article__access__in=sorted(tiers))
    )
    q = Q(pk__in=[])
    if wanted[FollowKind.COUNTRY] or wanted[FollowKind.REGION]:
        links = ArticleCountry.objects.filter(
            Q(country_id__in=wanted[FollowKind.COUNTRY])
            | Q(country__region__slug__in=wanted[FollowKind.REGION])
        )
        q |= Q(pk__in=links.values("article_id"))
    if wanted[FollowKind.ACTOR]:
        actors = (
            ArticleEntity.objects.kept()
            .filter(kind=EntityKind.ACTOR, key__in=wanted[FollowKind.ACTOR])
            .filter(visible)
        )
        q |= Q(pk__in=actors.values("article_id"))
    if wanted[FollowKind.TOPIC]:
        topics = Article.topics.through.objects.filter(topic__slug__in=wanted[FollowKind.TOPIC])
        q |= Q(pk__in=topics.values("article_id"))
    if wanted[FollowKind.AUTHOR]:
        authors = Article.authors.through.objects.filter(author__slug__in=wanted[FollowKind.AUTHOR])
        q |= Q(pk__in=authors.values("article_id"))
    storylines = [int(k) for k in wanted[FollowKind.STORYLINE] if k.isdigit()]
    if storylines:
        members = StorylineArticle.objects.filter(storyline_id__in=storylines, removed=False)
        q |= Q(pk__in=members.values("article_id"))
    return q
