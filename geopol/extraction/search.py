"""What extraction adds to article search: actor and place facets, `actor:` and `place:`
filters, and actors as completions. Registered with geopol.articles.search at start-up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from django.db.models import Q

from geopol.articles import search as article_search
from geopol.articles.models import Access, Article
from geopol.articles.search import FacetValues
from geopol.core.text import fold
from geopol.extraction import spelling
from geopol.extraction.actors import ActorIndex
from geopol.extraction.models import Actor, ArticleEntity, Decision, EntityKind
from geopol.extraction.services import current_actors
from geopol.extraction.visibility import public_entity_ids
from geopol.geo.gazetteer import fold_name
from geopol.search.backends.base import Suggestion


def entity_facets(articles: Sequence[Article]) -> Mapping[int, FacetValues]:
    """Actors (by slug) and places (by name) of each article, and the countries an editor
    confirmed. In a restricted article a place or actor that an editor did not give or
    confirm, and that its title or teaser does not name, was read from a body not all may
    read: a facet only for readers of its tier (geopol.extraction.visibility)."""
    restricted = {a.pk for a in articles if a.access != Access.PUBLIC}
    shown = public_entity_ids([a for a in articles if a.pk in restricted])
    entities = (
        ArticleEntity.objects.kept()
        .filter(article__in=[a.pk for a in articles])
        .values_list("pk", "article_id", "kind", "key", "name", "decision")
    )
    facets: dict[int, FacetValues] = {}
    for pk, article_id, kind, key, name, decision in entities:
        public = article_id not in restricted or pk in shown or decision == Decision.CONFIRMED
        entry = facets.setdefault(article_id, FacetValues())
        if kind == EntityKind.ACTOR:
            entry.add("actor", key, public)
        elif kind == EntityKind.PLACE:
            entry.add("place", fold_name(name), public)
        elif public and article_id in restricted:  # a country an editor confirmed: public
            entry.add("country", key)
    return facets


_typed_names: tuple[ActorIndex, dict[str, str]] | None = None


def _names_of(index: ActorIndex) -> dict[str, str]:
    """Each actor's name, aliases and acronyms, folded, to its slug (the first actor wins a
    name two share), built once per version of the registry."""
    global _typed_names
    if _typed_names is None or _typed_names[0] is not index:
        names: dict[str, str] = {}
        for actor in index.by_id.values():
            for name in (actor.name, *actor.aliases, *actor.acronyms):
                for key in (fold(name), fold_name(name)):
                    names.setdefault(key, actor.id)
        _typed_names = (index, names)
    return _typed_names[1]


def resolve_actor(typed: str) -> list[tuple[str, str]]:
    """The actor `actor:` names: by slug, or by name, alias or acronym in any case, from the
    registry the geoparser keeps in memory (no scan of the actors table per query)."""
    text = typed.strip()
    key = fold(text)
    if not key:
        return []
    index = current_actors()
    slug = key.replace(" ", "-")
    if slug not in index.by_id:
        names = _names_of(index)
        slug = names.get(key) or names.get(fold_name(text)) or ""
    found = index.by_id.get(slug)
    return [(found.id, found.name)] if found else []


def resolve_place(typed: str) -> list[tuple[str, str]]:
    key = fold_name(typed)
    return [(key, typed.strip())] if key else []


def label_actors(slugs: Iterable[str]) -> Mapping[str, str]:
    return dict(Actor.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))


def actor_suggestions() -> Iterable[Suggestion]:
    for actor in Actor.objects.only("slug", "name", "acronyms"):
        label = actor.name
        if actor.acronyms:
            label = f"{actor.name} ({actor.acronyms[0]})"
        yield Suggestion("actor", label, actor.get_absolute_url(), 2.0)


def place_suggestions() -> Iterable[Suggestion]:
    """Places named in analyses, as completions leading to a place search (and as words
    "did you mean" knows). Only places anyone may see: in public analyses, or given or
    confirmed by an editor."""
    names = (
        ArticleEntity.objects.kept()
        .filter(kind=EntityKind.PLACE)
        .filter(
            Q(article__access=Access.PUBLIC) | Q(by_editor=True) | Q(decision=Decision.CONFIRMED)
        )
        .values_list("name", flat=True)
        .distinct()
    )
    for name in names:
        yield Suggestion("place", name, "/search/?" + urlencode({"q": f'place:"{name}"'}), 1.0)


def register() -> None:
    if entity_facets not in article_search.facet_providers:
        article_search.facet_providers.append(entity_facets)
        article_search.suggestion_providers.append(actor_suggestions)
        article_search.suggestion_providers.append(place_suggestions)
        article_search.name_variant_providers.append(spelling.name_variants)
        article_search.alternate_name_lookups.append(spelling.alternate_place_names)
    article_search.value_resolvers["actor"] = resolve_actor
    article_search.value_resolvers["place"] = resolve_place
    article_search.value_labelers["actor"] = label_actors
    article_search.value_labelers["place"] = lambda values: {v: v.title() for v in values}
