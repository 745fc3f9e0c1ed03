"""What the geoparser returns: plain dataclasses, shared by its passes. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Mention:
    kind: str  # country, place, actor
    key: str  # ISO code, place key or actor id
    text: str
    start: int
    end: int
    # how a country is named: "name" ("Turkey", "Ivory Coast"), "demonym" ("Turkish
    # officials"), or "people" ("Americans", "the Turks"): its people, not the place. All
    # three count for the country; only the first two are toponyms (bench/bench_geoparse.py)
    form: str = "name"


@dataclass
class CountryResult:
    code: str
    name: str
    primary: bool
    mentions: int
    score: float


@dataclass
class PlaceResult:
    key: str
    name: str  # as first written
    canonical: str
    country: str
    lat: float | None  # None for a region the gazetteer cannot place
    lon: float | None
    geonames_id: int | None
    kind: str
    mentions: int
    # how exact the point is: "point" (the place itself), "region" (its region's or its
    # area's representative point), "country" (its country's)
    precision: str = "point"


@dataclass
class ActorResult:
    id: str
    name: str
    kind: str
    aliases_in_text: list[str]
    countries: list[str]
    mentions: int


@dataclass
class EventResult:
    """A dated event: a date the text writes, its sentence, and what that sentence names
    (mention keys, as in `Mention.key`). `date` is the day, the week's Monday, or the month's
    or year's first day, by `precision` (day, week, month, year)."""

    date: dt.date
    precision: str
    text: str  # the date as written ("Jan. 10", "on Monday" reads "Monday")
    start: int  # offsets in the body text
    end: int
    sentence: str
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    countries: list[CountryResult]
    places: list[PlaceResult]
    actors: list[ActorResult]
    mentions: list[Mention]
    # continents, oceans, macro-regions, historical states: named, but no place on a map
    areas: list[PlaceResult] = field(default_factory=list)
    # dated events, when the publication date was given (extract(published=...))
    events: list[EventResult] = field(default_factory=list)
