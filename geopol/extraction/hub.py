"""What the geoparser and the persons registry add to a country's hub page: its profile box
(the Factbook's facts, heads checked against the persons registry) and the actors and
persons its analyses mention most lately. Each is a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from geopol.articles.access import readable_tiers
from geopol.articles.models import ArticleQuerySet
from geopol.extraction.models import Actor, ActorKind, ArticleEntity, EntityKind
from geopol.geo.factbook import Head, Profile, profile
from geopol.geo.gazetteer import fold_name
from geopol.geo.models import Country

# Offices that make a person the chief of state or the head of government, as the persons
# registry writes them (data/persons/); a Factbook field that names an office picks it.
STATE_OFFICES = ("president", "king", "queen", "emir", "sultan", "supreme leader", "monarch")
GOVERNMENT_OFFICES = ("prime minister", "chancellor", "taoiseach", "premier", "president")
MOST_MENTIONED = 8  # actors, and persons, listed
LATELY = dt.timedelta(days=365)


@dataclass(frozen=True)
class ShownHead:
    """A head as the profile box shows it: the text, the person's page when the registry
    knows them, and what the Factbook said when the registry is newer."""

    text: str
    person: Actor | None = None
    factbook: str = ""


def _current_roles(persons: list[Actor], code: str, offices: tuple[str, ...]) -> list[tuple]:
    """(start, office, person) of the registry's office holders in `code`, newest first."""
    found = []
    for person in persons:
        for role in person.roles:
            if role["country"] == code and role.get("end") is None and role["office"] in offices:
                found.append((role["start"], role["office"], person))
    return sorted(found, key=lambda r: -r[0])


def _names_of(person: Any) -> set[str]:
    """Every word of a person's names, aliases and second-mention forms, folded."""
    names = [person.name, *getattr(person, "aliases", ()), *getattr(person, "short_names", ())]
    return {fold_name(w) for name in names for w in name.split()}


def same_person(head: Head, person: Any) -> bool:
    """The Factbook's capitalised surnames name `person` ("Zelenskyy" is "Zelensky")."""
    words = _names_of(person)
    for surname in (fold_name(s) for s in head.surnames):
        if any(surname == w or (len(w) >= 5 and surname.startswith(w)) for w in words):
            return True
    return False


def check_head(head: Head | None, holders: list[tuple], offices: tuple[str, ...]) -> ShownHead:
    """The Factbook's head, unless the registry holds a newer holder of the office it
    names (the Factbook's text is then older: "since 2021" against a 2024 start)."""
    named = [o for o in offices if head and o in head.text.lower()]
    # a field that names no office the registry uses ("Sébastien Lecornu", "Premier ..."):
    # the office's usual names
    holders = [h for h in holders if h[1] in named] or [h for h in holders if h[1] in offices[:4]]
    if not holders:
        return ShownHead(head.text if head else "")
    if head is not None:
        for _, _, person in holders:
            if same_person(head, person):
                return ShownHead(head.text, person)
    start, office, person = holders[0]
    if head is None or head.since is None or start > head.since:
        text = f"{office[0].upper()}{office[1:]} {person.name} (since {start})"
        return ShownHead(text, person, head.text if head else "")
    return ShownHead(head.text)


def country_profile(country: Country) -> dict[str, Any] | None:
    """The profile box's values for `country`, or None when the Factbook has no entry."""
    facts: Profile | None = profile(country.code)
    if facts is None:
        return None
    persons = list(Actor.objects.filter(kind=ActorKind.PERSON, countries=country))
    state = _current_roles(persons, country.code, STATE_OFFICES)
    government = _current_roles(persons, country.code, GOVERNMENT_OFFICES)
    chief = check_head(facts.chief_of_state, state, STATE_OFFICES)
    head = check_head(facts.head_of_government, government, GOVERNMENT_OFFICES)
    return {
        "facts": facts,
        "chief_of_state": chief,
        "head_of_government": None if head.text == chief.text else head,
    }


def most_mentioned(user: Any, articles: ArticleQuerySet) -> dict[str, Any]:
    """Actors and persons tagged in the most of `articles` (a country's or a region's) in
    the 12 months up to the newest, counted in those `user` may read (tags come from
    bodies)."""
    readable = articles.published().filter(access__in=list(readable_tiers(user)))
    newest = readable.aggregate(last=Max("published_at"))["last"]
    if newest is None:
        return {"actors": [], "persons": [], "until": None}
    recent = readable.filter(published_at__gt=newest - LATELY).values("pk")
    rows = (
        ArticleEntity.objects.kept()
        .filter(kind=EntityKind.ACTOR, article__in=recent, actor__isnull=False)
        .values("actor")
        .annotate(n=Count("article", distinct=True))
        .order_by("-n")[: 4 * MOST_MENTIONED]
    )
    counts = {row["actor"]: row["n"] for row in rows}
    actors = sorted(
        Actor.objects.filter(pk__in=list(counts)), key=lambda a: (-counts[a.pk], a.name)
    )
    return {
        "persons": [(a, counts[a.pk]) for a in actors if a.is_person][:MOST_MENTIONED],
        "actors": [(a, counts[a.pk]) for a in actors if not a.is_person][:MOST_MENTIONED],
        "until": newest,
    }
