"""Pass 3c of the geoparser, places the text locates but the gazetteer lacks: "Sevare, a city
in the region of Mopti", "the town of Qatraneh in the Karak district", "the Wedza district,
Mashonaland East province". The text says what the name is (a town, a village, a district)
and where it lies, so the name is proposed as a place at the point of what locates it: the
region's representative point (precision "region"), a town's point for a suburb or village
put near it ("region" too), or the country's label point (precision "country") when only the
country is named. Nothing is proposed without a cue word and a place or country the text
already resolved nearby, so the pass adds no country the text does not name. Every other
mention of the same name in the text reads the same. Pure.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from geopol.extraction.geography import SENTENCE_END_RE, country_point
from geopol.extraction.matching import Candidate
from geopol.extraction.places import BROAD_KINDS
from geopol.extraction.reading import Document
from geopol.extraction.results import Mention
from geopol.extraction.rules import WORDS
from geopol.geo.gazetteer import PlaceRecord, fold_name

# what a name may be said to be: settlements and the administrative areas news name
SETTLEMENTS = frozenset(
    [
        "city",
        "town",
        "village",
        "hamlet",
        "township",
        "settlement",
        "municipality",
        "commune",
        "suburb",
        "neighborhood",
        "neighbourhood",
        "oasis",
    ]
)
AREAS = frozenset(
    [
        "district",
        "region",
        "province",
        "county",
        "prefecture",
        "governorate",
        "department",
        "subdistrict",
        "municipality",
        "area",
    ]
)
_NOUN = "|".join(sorted(SETTLEMENTS | AREAS, key=len, reverse=True))
_ADMIN = "|".join(a for a in AREAS if a != "area")
_ADJ = r"(?:[a-z]+(?:-[a-z]+)? ){0,2}"  # "a small border town", "a remote mountain village"
_WORD = r"[A-Z][\w'’]*[\w]"
NAME = rf"{_WORD}(?:[ \-]{_WORD}){{0,2}}"
CUES = (
    # "the town of Qatraneh", "the village of Xinmo"
    re.compile(rf"\b[Tt]he (?:{_ADJ})?(?:{_NOUN}) of ({NAME})"),
    # "Sevare, a city in the region of Mopti", "Mabvuku, a suburb located east of Harare"
    re.compile(
        rf"({NAME}), (?:a|an|the) {_ADJ}(?:{_NOUN})\b(?=,? (?:located |situated |just )?"
        r"(?:(?:\d+ )?(?:km|kilometers|kilometres|miles) )?"
        r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)? )?"
        r"(?:in|of|near|outside|on|along)\b)"
    ),
    # "the Wedza district", "the Gondra district of Uttar Pradesh"
    re.compile(rf"\b[Tt]he ({NAME}) (?:{_ADMIN})\b"),
)
CAPITAL_BEFORE_RE = re.compile(r"([A-Z][\w'’]*) $")
# how far after a cue (in characters) a place or country reads as the one that locates it
NEAR_AFTER = 90


@dataclass(frozen=True)
class Locator:
    """A point the text resolved: a place or a named country."""

    start: int
    end: int
    sentence: int
    record: PlaceRecord | None  # None for a country
    country: str


def _locators(
    resolved: list[tuple[Candidate, PlaceRecord]], countries: list[Mention], bounds: list[int]
) -> list[Locator]:
    found = [
        Locator(c.start, c.end, bisect.bisect(bounds, c.start), r, r.country)
        for c, r in resolved
        if r.country and r.feature_kind not in BROAD_KINDS and not math.isnan(r.lat + r.lon)
    ]
    found += [
        Locator(m.start, m.end, bisect.bisect(bounds, m.start), None, m.key)
        for m in countries
        if m.start >= 0
    ]
    return sorted(found, key=lambda loc: loc.start)


def _where(
    name_span: tuple[int, int], cue_end: int, locators: list[Locator], sentence: int
) -> tuple[Locator, bool] | None:
    """What locates a name, and whether it says where within the country: the first place
    or country named right after the cue ("in the region of Mopti", "east of Harare"); else
    only the country of the nearest place or country in the sentence or the ones next to it
    (a name listed beside another, "Darfur and Malakal", is not inside it)."""
    after = [
        loc
        for loc in locators
        if cue_end <= loc.start <= cue_end + NEAR_AFTER and loc.sentence == sentence
    ]
    if after:
        return after[0], True
    for reach in (0, 1):
        near = [
            loc
            for loc in locators
            if abs(loc.sentence - sentence) <= reach
            and not name_span[0] <= loc.start < name_span[1]
        ]
        if near:
            return min(near, key=lambda loc: abs(loc.start - name_span[0])), False
    return None


def _approximate(name: str, where: Locator, within: bool) -> PlaceRecord | None:
    """The place at the point of what locates it, with its precision in `feature_kind`."""
    record = where.record
    if record is None or not within:
        point = country_point(where.country)
        if point is None:
            return None
        return PlaceRecord(name, *point, where.country, "approximate", 0, None, "", "country")
    return PlaceRecord(
        name,
        record.lat,
        record.lon,
        record.country,
        "approximate",
        0,
        None,
        record.admin1,
        feature_kind="region",
    )


def _admissible(doc: Document, name: str, start: int, taken: list[tuple[int, int]]) -> bool:
    """A name-shaped phrase that may be a place the gazetteer lacks: not a country, not a
    direction or a month, not inside a name already read, not a word the text writes in
    lower case."""
    key = fold_name(name)
    first = key.split(" ")[0]
    countries = doc.gazetteer.countries
    if key in countries.names or key in countries.demonyms or first in countries.demonyms:
        return False
    if first in WORDS.directions or first in WORDS.titles or key in WORDS.calendar_words:
        return False
    if " " not in key and doc.facts.writes_lowercase(name.lower()):
        return False
    end = start + len(name)
    return not any(s < end and start < e for s, e in taken)


# "the European region", "the Asian city": an adjective before the noun, not a name
ADJECTIVE_RE = re.compile(r"[A-Z][a-z]+(?:ean|ian|ican|ese|ish)")


def _cue_matches(text: str) -> Iterator[tuple[str, int, int]]:
    for cue in CUES:
        for match in cue.finditer(text):
            name = match.group(1)
            if cue is CUES[2] and ADJECTIVE_RE.fullmatch(name):
                continue
            if name[-2:] in ("'s", "’s"):
                name = name[:-2]  # "the neighborhood of Saturday's gun battle"
            yield name, match.start(1), match.end()


def _opener(doc: Document, word: str) -> bool:
    low = word.lower()
    return low in WORDS.particles or doc.facts.writes_lowercase(low)


def _without_opener(doc: Document, name: str, start: int) -> tuple[str, int]:
    """The name without words capitalised only by the sentence: "In Korvanti" is Korvanti
    (a word the text also writes in lower case, or a particle, opens no name)."""
    words = name.split(" ")
    while len(words) > 1 and _opener(doc, words[0]):
        start += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), start


def _mentions(doc: Document, name: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = []
    # not inside a longer name: "SOS Children's Village Malakal", "Esperance Lakes"
    pattern = rf"(?<![\w'’]){re.escape(name)}(?![\w])(?! [A-Z])"
    for match in re.finditer(pattern, doc.text):
        start, end = match.span()
        before = CAPITAL_BEFORE_RE.search(doc.text, max(0, start - 40), start)
        if before is not None and not _opener(doc, before.group(1)):
            continue
        if not any(s < end and start < e for s, e in taken):
            spans.append((start, end))
    return spans


def _candidate(doc: Document, name: str, start: int, end: int) -> Candidate:
    first = bisect.bisect_left([t.start for t in doc.toks], start)
    return Candidate(start, end, name, fold_name(name), first, False, {"place"})


def propose_approximate(
    doc: Document,
    resolved: list[tuple[Candidate, PlaceRecord]],
    countries: list[Mention],
) -> list[tuple[Candidate, PlaceRecord]]:
    """Places the text locates that the gazetteer could not place, at the point of what
    locates them, with every mention of each."""
    bounds = [m.end() for m in SENTENCE_END_RE.finditer(doc.text)]
    locators = _locators(resolved, countries, bounds)
    if not locators:
        return []
    taken = [(c.start, c.end) for c, _ in resolved]
    taken += [(m.start, m.end) for m in countries]
    taken += [(c.start, c.end) for c in doc.found if c.kinds & {"actor", "country", "demonym"}]
    taken += doc.person_spans
    proposed: list[tuple[Candidate, PlaceRecord]] = []
    for name, start, cue_end in _cue_matches(doc.text):
        name, start = _without_opener(doc, name, start)
        if not _admissible(doc, name, start, taken):
            continue
        sentence = bisect.bisect(bounds, start)
        where = _where((start, start + len(name)), cue_end, locators, sentence)
        record = _approximate(name, *where) if where is not None else None
        if record is None:
            continue
        spans = _mentions(doc, name, taken)
        taken += spans
        proposed += [(_candidate(doc, name, s, e), record) for s, e in spans]
    return proposed
