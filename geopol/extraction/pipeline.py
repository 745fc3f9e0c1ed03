"""Text in, places, countries, actors out. Pure: no ORM, no network, no model download.

The geoparser is a sequence of named passes over plain data, each in its own module:

1. candidates (`reading.read_document`, over `matching`): the words of every name-shaped run,
   the longest known names starting at them, and facts about the text (sentence starts,
   words it also writes in lower case, capitalised pairs that are persons' names).
2. actors and countries (`evidence`): registry actors by alias and acronym; persons'
   second mentions after a full one (`person_mentions`); unambiguous evidence of countries
   (names, demonyms, well-known cities, actors' home countries); then ambiguous country
   names in the light of that evidence; then "<demonym> troops" as that country's state
   force (`state_forces`), and "Georgia's parliament" as that country's (`institutions`);
   organisations the registry lacks by their shape ("the X Front (XF)", `organisations`).
3. places (`places`): stop rules, then the best place for each candidate by the document's
   own evidence (countries named, admin-1 regions named, population), then distance to the
   other places resolved in the same text.
3b. geography (`geography`): shared names go to the reading nearest what their sentence
   and its neighbours name; a small town far from everything else, in a country the text
   never names, is dropped.
3c. approximate places (`approximate`): a name the text says is a town, a village or a
   district, and where ("Sevare, a city in the region of Mopti"), that the gazetteer could
   not place, at the point of its region or country, marked so (`precision`).
4. aggregation (`aggregation`): countries with mention counts and primary flags, places,
   actors.
5. dates (`dates`), given the publication date: dated events, each with its sentence and
   what the passes above found in that sentence.

Word lists and score constants live in data/geoparse_words.yaml and
data/geoparse_scores.yaml (loaded by `rules`), and data/dates_words.yaml, documented there.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

from geopol.extraction.actors import ActorIndex
from geopol.extraction.aggregation import aggregate, collect_actors
from geopol.extraction.approximate import propose_approximate
from geopol.extraction.dates import dated_events
from geopol.extraction.evidence import (
    country_evidence,
    match_actors,
    resolve_countries,
    sort_candidates,
)
from geopol.extraction.geography import settle
from geopol.extraction.institutions import match_institutions
from geopol.extraction.matching import name_tokens
from geopol.extraction.ner import Proposals
from geopol.extraction.organisations import organisations_by_shape
from geopol.extraction.person_mentions import add_second_mentions, second_mentions
from geopol.extraction.places import distance_km, place_key, resolve_places
from geopol.extraction.reading import read_document
from geopol.extraction.results import (
    ActorResult,
    CountryResult,
    EventResult,
    Extraction,
    Mention,
    PlaceResult,
)
from geopol.extraction.state_forces import match_state_forces, named_force_countries
from geopol.geo.gazetteer import Gazetteer

__all__ = [
    "ActorResult",
    "CountryResult",
    "EventResult",
    "Extraction",
    "Mention",
    "PlaceResult",
    "distance_km",
    "extract",
    "name_tokens",
    "place_key",
]


def extract(
    text: str,
    gazetteer: Gazetteer,
    actors: ActorIndex,
    *,
    title: str = "",
    known_countries: Iterable[str] = (),
    published: dt.date | None = None,
    propose: Callable[[str], Proposals] | None = None,
) -> Extraction:
    """Everything the text says about where and who, and, given the publication date,
    when. `title` counts extra for primacy; `known_countries` are an editor's tags, treated
    as context; `propose` (`ner.propose`) is an NER model's span proposals for the text
    read, which the passes weigh."""
    known = list(known_countries)
    doc = read_document(text, gazetteer, actors, title)  # 1. candidates
    proposals = propose(doc.text) if propose is not None else None
    parts = sort_candidates(doc)
    later = second_mentions(doc, parts)  # 2a. persons: "Assad" after "Bashar al-Assad"
    evidence = country_evidence(doc, parts, Counter(known))  # 2. actors and countries
    actor_matches = match_actors(doc, parts, evidence)
    add_second_mentions(actor_matches, later)
    country_mentions, contested_places = resolve_countries(doc, parts, evidence)
    force_countries = named_force_countries(doc, actor_matches)  # "Russian forces": RU
    match_state_forces(doc, country_mentions, actor_matches)  # 2b. "Nigerien troops"
    found_actors = match_institutions(doc, country_mentions, actor_matches)  # 2c. "Georgia's
    found_actors |= organisations_by_shape(doc, actor_matches)  # parliament"; 2d. "X Front (XF)"
    country_mentions += force_countries
    pending = parts.places + contested_places
    resolved, qualified = resolve_places(doc, pending, evidence, proposals)  # 3.
    resolved = settle(doc, resolved, country_mentions, evidence, qualified)  # 3b. geography
    resolved += propose_approximate(doc, resolved, country_mentions)  # 3c. "the town of X"
    mentions = [
        *actor_matches.mentions,
        *country_mentions,
        *(Mention("place", place_key(r), c.text, c.start, c.end) for c, r in resolved),
    ]
    countries, places, areas = aggregate(  # 4. aggregation
        mentions, resolved, gazetteer.countries.display, range(doc.shift, len(doc.text)), known
    )
    mentions = body_offsets(mentions, doc.shift)
    return Extraction(
        countries=countries,
        places=places,
        actors=collect_actors(actors, actor_matches.hits, found_actors),
        mentions=mentions,
        areas=areas,
        events=[] if published is None else dated_events(text, published, mentions),  # 5.
    )


def body_offsets(mentions: list[Mention], shift: int) -> list[Mention]:
    """Offsets relative to the body when a title was prepended; -1 for the title's."""
    if not shift:
        return mentions
    return [
        Mention(m.kind, m.key, m.text, m.start - shift, m.end - shift, m.form)
        if m.start >= shift
        else Mention(m.kind, m.key, m.text, -1, -1, m.form)
        for m in mentions
    ]
