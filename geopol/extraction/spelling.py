"""The names extraction gives "did you mean" (geopol.articles.search): actors (and persons,
who are actors) with their aliases, places the archive tags for everyone to see, and the
gazetteer's alternate names of those places ("Timbuctoo" -> the place tagged Timbuktu)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from geopol.articles.models import Access
from geopol.extraction.models import Actor, ArticleEntity, Decision, EntityKind
from geopol.extraction.services import current_gazetteer
from geopol.geo.gazetteer import fold_name


def _public_places():
    """Place tags anyone may see: of public analyses, or given or confirmed by an editor."""
    return (
        ArticleEntity.objects.kept()
        .filter(kind=EntityKind.PLACE)
        .filter(
            Q(article__access=Access.PUBLIC) | Q(by_editor=True) | Q(decision=Decision.CONFIRMED)
        )
    )


def name_variants() -> Iterable[tuple[str, str]]:
    for name, aliases in Actor.objects.values_list("name", "aliases"):
        yield name, name
        for alias in aliases or ():
            if len(alias) >= 5:  # short aliases are acronyms in disguise
                yield alias, name
    for name, written in _public_places().values_list("name", "written_as").distinct():
        yield name, name
        if written:
            yield written, name


def alternate_place_names(text: str) -> list[str]:
    """The names of tagged places the gazetteer knows `text` as another name of."""
    records = current_gazetteer().places(fold_name(text))
    keys = [f"geonames:{r.geonames_id}" for r in records if r.geonames_id]
    if not keys:
        return []
    names = _public_places().filter(key__in=keys).values_list("name", flat=True)
    return list(dict.fromkeys(names))
