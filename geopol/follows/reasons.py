"""Why an article matches a member's follows: pure rules, no database.

An article's countries (and so regions) are public metadata, shown to every reader. Its
actors come in two kinds: those shown to every reader (given or confirmed by an editor, or
named in the title or teaser) and those the geoparser found only in the body. A reader who
may not read the body is matched and told only about the shown ones (`given`), so an alert
never reveals what a hidden body mentions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CountryTag:
    code: str
    name: str
    region: str  # the region's slug
    primary: bool = False
    mentions: int = 0
    given: bool = True


@dataclass(frozen=True)
class ActorTag:
    slug: str
    name: str
    mentions: int = 0
    given: bool = False


@dataclass
class ArticleTags:
    """Everything about one article that a follow can match."""

    countries: dict[str, CountryTag] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)
    actors: dict[str, ActorTag] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)  # slug -> name
    authors: dict[str, str] = field(default_factory=dict)
    # saved searches (their follow's key -> name) this article matched, each as its member
    # may read it (worked out per member before the reasons: geopol.follows.saved)
    searches: dict[str, str] = field(default_factory=dict)
    # the storyline it is in (its id -> name): public metadata, since storylines are threaded
    # from what every reader may see of a piece (geopol.related.storylines)
    storylines: dict[str, str] = field(default_factory=dict)

    def targets(self, readable: bool = True) -> dict[str, set[str]]:
        """The keys a follow of each kind may have to match, for a reader who may (or may
        not) read the body."""
        countries = [c for c in self.countries.values() if readable or c.given]
        return {
            "country": {c.code for c in countries},
            "region": {c.region for c in countries},
            "actor": {a.slug for a in self.actors.values() if readable or a.given},
            "topic": set(self.topics),
            "author": set(self.authors),
            "storyline": set(self.storylines),
        }


@dataclass(frozen=True)
class Reason:
    kind: str
    key: str
    label: str
    why: str
    strength: int

    def __str__(self) -> str:
        if self.kind == "search":
            return f"matches your saved search ‘{self.label}’"
        if self.kind == "storyline":
            return f"new in the storyline ‘{self.label}’, which you follow"
        return f"you follow {self.label} ({self.why})"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _country_why(tag: CountryTag, readable: bool) -> tuple[str, int]:
    if tag.primary:
        return "primary country", 80
    if readable and tag.mentions:
        return f"mentioned {_times(tag.mentions)}", 40 + min(tag.mentions, 30)
    return "tagged", 30


def reason_for(tags: ArticleTags, kind: str, key: str, readable: bool) -> Reason | None:
    """Why a follow of (kind, key) matches, or None when it does not (for this reader)."""
    if kind == "country":
        tag = tags.countries.get(key)
        if tag is None or not (readable or tag.given):
            return None
        why, strength = _country_why(tag, readable)
        return Reason(kind, key, tag.name, why, strength)
    if kind == "region":
        inside = [c for c in tags.countries.values() if c.region == key and (readable or c.given)]
        if not inside:
            return None
        best = max(inside, key=lambda c: _country_why(c, readable)[1])
        why, strength = _country_why(best, readable)
        return Reason(
            kind,
            key,
            tags.region_names.get(key, key),
            f"via {best.name}, {why}",
            strength - 5,
        )
    if kind == "actor":
        actor = tags.actors.get(key)
        if actor is None or not (readable or actor.given):
            return None
        if readable and actor.mentions:
            return Reason(
                kind,
                key,
                actor.name,
                f"mentioned {_times(actor.mentions)}",
                45 + min(actor.mentions, 30),
            )
        return Reason(kind, key, actor.name, "tagged", 30)
    if kind == "topic" and key in tags.topics:
        return Reason(kind, key, tags.topics[key], "topic", 35)
    if kind == "author" and key in tags.authors:
        return Reason(kind, key, tags.authors[key], "author", 90)
    if kind == "storyline" and key in tags.storylines:  # public whoever reads
        return Reason(kind, key, tags.storylines[key], "storyline", 85)
    if kind == "search" and key in tags.searches:  # matched as the member may read it
        return Reason(kind, key, tags.searches[key], "saved search", 60)
    return None


def reasons_for(
    tags: ArticleTags, follows: Iterable[tuple[str, str]], readable: bool
) -> list[Reason]:
    """The reasons among `follows` ((kind, key) pairs), strongest first."""
    found = [r for kind, key in follows if (r := reason_for(tags, kind, key, readable))]
    return sorted(found, key=lambda r: (-r.strength, r.label))
