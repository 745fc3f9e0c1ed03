"""Pass 3b of the geoparser, the document's own geography: after each place got its best
reading on its own, a name that several places share goes to the one nearest what its
sentence and the neighbouring sentences name ("Tripoli, in northern Lebanon"; "Lere ... from
Mauritania to Timbuktu"), and a small town far from everything else the text resolves, in a
country the text never names, is dropped rather than adding that country (Lere, Nigeria, in
a story about Mali). Pure; distances in data/geoparse_scores.yaml."""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from geopol.extraction.matching import Candidate
from geopol.extraction.places import distance_km, national_capital
from geopol.extraction.reading import Document
from geopol.extraction.results import Mention
from geopol.extraction.rules import SCORES
from geopol.geo.gazetteer import PlaceRecord, capitals, fold_name

SENTENCE_END_RE = re.compile(r"[.!?][\"”’)]*\s+(?=[A-Z\"“])|\n")


@dataclass(frozen=True)
class Anchor:
    """A point the text names: a resolved place or a named country."""

    start: int
    sentence: int
    lat: float
    lon: float
    country: str
    key: str = ""  # the name's folded key, for places


@functools.cache
def country_point(code: str) -> tuple[float, float] | None:
    from geopol.geo import worldshapes

    shape = worldshapes.country(code)
    return (shape.label[1], shape.label[0]) if shape is not None else None


def _has_point(record: PlaceRecord) -> bool:
    return bool(record.lat or record.lon) and not math.isnan(record.lat + record.lon)


def anchors_of(
    doc: Document,
    resolved: list[tuple[Candidate, PlaceRecord]],
    countries: list[Mention],
    bounds: list[int],
) -> list[Anchor]:
    found = [
        Anchor(c.start, bisect.bisect(bounds, c.start), r.lat, r.lon, r.country, c.key)
        for c, r in resolved
        if _has_point(r)
    ]
    for m in countries:
        point = country_point(m.key)
        if point is not None:
            found.append(Anchor(m.start, bisect.bisect(bounds, m.start), *point, m.key))
    return found


def local_cost(record: PlaceRecord, near: list[Anchor]) -> float:
    """Sum of the distances (km, equirectangular: close enough to rank readings, and a
    fraction of the cost of great circles) from a place to what its neighbourhood names."""
    lat, lon = record.lat, record.lon
    scale = math.cos(math.radians(lat))
    return 111.2 * sum(
        math.hypot(a.lat - lat, ((a.lon - lon + 180) % 360 - 180) * scale) for a in near
    )


def settle(
    doc: Document,
    resolved: list[tuple[Candidate, PlaceRecord]],
    countries: list[Mention],
    evidence: Counter[str],
    fixed: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[tuple[Candidate, PlaceRecord]]:
    """Shared names to the reading nearest their neighbourhood; far strays dropped. Names
    in `fixed` (qualified by the text: "Paris, Texas") stay as they are."""
    if not resolved:
        return resolved
    bounds = [m.end() for m in SENTENCE_END_RE.finditer(doc.text)]
    anchors = anchors_of(doc, resolved, countries, bounds)
    by_sentence: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_sentence.setdefault(anchor.sentence, []).append(anchor)
    reach = SCORES.local_sentences
    settled = []
    for cand, record in resolved:
        sentence = bisect.bisect(bounds, cand.start)
        near = [
            a
            for s in range(sentence - reach, sentence + reach + 1)
            for a in by_sentence.get(s, ())
            if a.start != cand.start and a.key != cand.key  # a name is no context for itself
        ]
        # a big city is not moved for its neighbours, as in places.refine_by_distance, unless
        # the text never names its country and names places around a namesake instead
        if record.kind == "city" and cand.key not in fixed:
            if record.population < SCORES.refine_fixed_population:
                record = _nearest_reading(doc, cand, record, near) if near else record
            else:
                record = _unnamed_metropolis(doc, cand, record, anchors, evidence)
        if cand.key in fixed or not _stray(record, cand, anchors, evidence):
            settled.append((cand, record))
    return settled


def _nearest_reading(
    doc: Document, cand: Candidate, record: PlaceRecord, near: list[Anchor]
) -> PlaceRecord:
    options = [o for o in doc.gazetteer.places(cand.key) if o.kind == "city" and _has_point(o)]
    if len(options) < 2 or not _has_point(record):
        return record
    best = min(options, key=lambda o: local_cost(o, near))
    closest = min(distance_km((best.lat, best.lon), (a.lat, a.lon)) for a in near)
    if (
        best is not record
        and closest <= SCORES.local_reach_km
        and local_cost(best, near) + SCORES.local_margin_km * len(near) < local_cost(record, near)
    ):
        return best
    return record


def _unnamed_metropolis(
    doc: Document,
    cand: Candidate,
    record: PlaceRecord,
    anchors: list[Anchor],
    evidence: Counter[str],
) -> PlaceRecord:
    """A metropolis in a country the text never names (no mention, no actor, no other place
    there) gives way to a namesake near the places the text does name: "Edmonton" beside
    Tottenham and Walthamstow is the London district, not Alberta's capital; "Edmonton" in a
    story naming Ingham and Townsville is the Queensland town. Anywhere, not only in its
    sentence: local news names its town once and its streets after that. A capital, which
    stands for its government in any story ("Washington said", in a story about Belfast
    that never names the United States), gives way only to a namesake right beside another
    place named ("London" beside Laurel County, Kentucky). A capital is no such place
    either: it is named for its government as often as for the city."""
    if evidence[record.country] >= SCORES.stray_evidence:
        return record
    # a capital stands for its government ("Washington said"): only a namesake right
    # beside another place named takes its name
    capital = capitals().get(record.country) == fold_name(record.name)
    # countries have no key; a capital named as its government ("Washington and Damascus
    # traded accusations") places nothing near it (not Damascus, Maryland)
    places = [
        a for a in anchors if a.key and a.key != cand.key and capitals().get(a.country) != a.key
    ]
    if not places or any(a.country == record.country for a in places):
        return record
    best = record
    closest = SCORES.unnamed_capital_reach_km if capital else SCORES.unnamed_metropolis_reach_km
    for option in doc.gazetteer.places(cand.key):
        if (
            option.kind != "city"
            or option is record
            or option.population < SCORES.unnamed_metropolis_namesake_population
            or not _has_point(option)
        ):
            continue
        gap = min(distance_km((option.lat, option.lon), (a.lat, a.lon)) for a in places)
        if gap <= closest:
            best, closest = option, gap
    return best


def _stray(
    record: PlaceRecord, cand: Candidate, anchors: list[Anchor], evidence: Counter[str]
) -> bool:
    """A town or region in a country the text never names, far from every other point it
    names ("the Gulf" read as Papua New Guinea's Gulf Province in a story about Saudi Arabia)."""
    if (
        record.kind not in ("city", "admin1", "admin")
        or not _has_point(record)
        or evidence[record.country] >= SCORES.stray_evidence
        or record.population >= SCORES.metropolis_population
        or national_capital(record)
    ):
        return False
    others = [a for a in anchors if a.start != cand.start]
    if not others:
        return False
    # a degree of latitude is 111 km: most anchors are ruled near without a great circle
    limit = SCORES.stray_km / 111.2
    return all(
        abs(a.lat - record.lat) > limit
        or distance_km((record.lat, record.lon), (a.lat, a.lon)) > SCORES.stray_km
        for a in others
    )
