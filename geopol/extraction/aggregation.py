"""Pass 4 of the geoparser, aggregation: countries with mention counts, weights and primary
flags; places with their mention counts; actors with the surfaces they were written as.
Pure. Weights in data/geoparse_scores.yaml."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from geopol.extraction.actors import ActorDef, ActorIndex
from geopol.extraction.matching import Candidate
from geopol.extraction.places import BROAD_KINDS, place_key, precision_of
from geopol.extraction.results import (
    ActorResult,
    CountryResult,
    Extraction,
    Mention,
    PlaceResult,
)
from geopol.extraction.rules import SCORES
from geopol.geo.gazetteer import PlaceRecord


def collect_places(
    resolved: list[tuple[Candidate, PlaceRecord]], title_end: int, score: Counter[str]
) -> list[PlaceResult]:
    """One result per distinct place, in order of first mention; adds to `score` the weight
    each mention gives its country."""
    places: dict[str, PlaceResult] = {}
    for cand, record in resolved:
        key = place_key(record)
        if key not in places:
            places[key] = PlaceResult(
                key=key,
                name=cand.text,
                canonical=record.name,
                country=record.country,
                lat=None if math.isnan(record.lat) else record.lat,
                lon=None if math.isnan(record.lon) else record.lon,
                geonames_id=record.geonames_id,
                kind="approximate"
                if record.kind == "approximate"
                else record.feature_kind or record.kind,
                mentions=0,
                precision=precision_of(record),
            )
        places[key].mentions += 1
        weight = SCORES.title_place if cand.start < title_end else SCORES.body_place
        # a place implies its country; a sea or desert shared by many implies none of them
        implied = record.country or (record.countries[0] if len(record.countries) == 1 else "")
        if implied:
            score[implied] += weight  # type: ignore[assignment]
    return list(places.values())


def split_broad(
    places: list[PlaceResult], resolved: list[tuple[Candidate, PlaceRecord]]
) -> tuple[list[PlaceResult], list[PlaceResult]]:
    """Places, and the broad areas ("Asia", "the Atlantic", "West Africa", "the Soviet
    Union"): toponyms, but no point on a map, so listed apart."""
    broad = {place_key(r) for _, r in resolved if r.feature_kind in BROAD_KINDS}
    return [p for p in places if p.key not in broad], [p for p in places if p.key in broad]


def primary_countries(score: Counter[str]) -> tuple[list[str], set[str]]:
    """Countries by weight, and the primary ones: near the top's weight, among the first."""
    top = max(score.values(), default=0.0)
    ranked = sorted(score, key=lambda c: (-score[c], c))
    primary = {
        c
        for c in ranked[: SCORES.primary_most]
        if score[c] >= SCORES.primary_share * top and score[c] >= SCORES.primary_minimum
    }
    if ranked and not primary:
        primary = {ranked[0]}
    return ranked, primary


def collect_actors(
    actors: ActorIndex, hits: dict[str, list[str]], found: dict[str, ActorDef] | None = None
) -> list[ActorResult]:
    """The actors of the text, from the registry or `found` in it (organisations.py)."""
    results = []
    for actor_id, surfaces in hits.items():
        actor = actors.by_id.get(actor_id) or (found or {})[actor_id]
        results.append(
            ActorResult(
                id=actor.id,
                name=actor.name,
                kind=actor.kind,
                aliases_in_text=sorted(set(surfaces), key=surfaces.index),
                countries=list(actor.countries),
                mentions=len(surfaces),
            )
        )
    results.sort(key=lambda a: -a.mentions)
    return results


def where_named(
    mentions: list[Mention], resolved: list[tuple[Candidate, PlaceRecord]]
) -> dict[str, list[int]]:
    """Country -> the offsets where the text names it or a place in it."""
    found: dict[str, list[int]] = {}
    for m in mentions:
        if m.kind == "country":
            found.setdefault(m.key, []).append(m.start)
    for cand, record in resolved:
        if record.country:
            found.setdefault(record.country, []).append(cand.start)
    return found


def weigh_by_position(score: Counter[str], named_at: dict[str, list[int]], body: range) -> None:
    """The text's subject is named in its lead and all along it, a passing topic in one
    passage: a country named (or a place of it) in the title or the first tenth of the body
    gains what a title mention adds, and a country's weight grows by up to half with the
    share of the body between its first and last mention."""
    length = max(len(body), 1)
    lead_end = body.start + SCORES.lead_share * length
    for code, offsets in named_at.items():
        if code not in score:
            continue
        spread = (max(offsets) - max(min(offsets), body.start)) / length
        score[code] *= 1 + SCORES.spread_weight * max(spread, 0.0)  # type: ignore[assignment]
        if min(offsets) < lead_end:
            score[code] += SCORES.title_country - SCORES.body_country  # type: ignore[assignment]


def aggregate(
    mentions: list[Mention],
    resolved: list[tuple[Candidate, PlaceRecord]],
    display: dict[str, str],
    body: range,
    known_countries: Iterable[str],
) -> tuple[list[CountryResult], list[PlaceResult], list[PlaceResult]]:
    """`body` is the span of the text after the title (the title, when given, before it)."""
    title_end = body.start
    named: Counter[str] = Counter()
    score: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "country":
            named[m.key] += 1
            weight = SCORES.title_country if m.start < title_end else SCORES.body_country
            score[m.key] += weight  # type: ignore[assignment]
    places = collect_places(resolved, title_end, score)
    weigh_by_position(score, where_named(mentions, resolved), body)
    for code in known_countries:
        score[code] += SCORES.editor_country  # type: ignore[assignment]
    ranked, primary = primary_countries(score)
    place_mentions: Counter[str] = Counter()
    for p in places:
        place_mentions[p.country] += p.mentions
    countries = [
        CountryResult(
            code=c,
            name=display.get(c, c),
            primary=c in primary,
            mentions=named[c] + place_mentions[c],
            score=round(float(score[c]), 2),
        )
        for c in ranked
        if c in display
    ]
    places.sort(key=lambda p: -p.mentions)
    return countries, *split_broad(places, resolved)


__all__ = ["Extraction", "aggregate", "collect_actors"]
