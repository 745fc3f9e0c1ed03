"""Pass 2 of the geoparser, resolution of actors and countries: which candidates are actors,
which are countries, and how much the text says about each country (the evidence the place
pass weighs). Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from geopol.extraction.actors import ActorDef
from geopol.extraction.matching import Candidate
from geopol.extraction.reading import Document, qualified_by
from geopol.extraction.results import Mention
from geopol.extraction.rules import SCORES, WORDS
from geopol.geo.gazetteer import Gazetteer


@dataclass
class Sorted:
    """The candidates sorted by what they may be, in text order."""

    actors: list[tuple[Candidate, str]] = field(default_factory=list)  # one registry entry
    shared_names: list[tuple[Candidate, tuple[str, ...]]] = field(default_factory=list)
    countries: list[Candidate] = field(default_factory=list)  # country names and demonyms
    places: list[Candidate] = field(default_factory=list)


@dataclass
class ActorMatches:
    """The actor pass's output: mentions in text order and the surfaces per actor id.
    Later actor steps (persons, state forces) add to both."""

    mentions: list[Mention] = field(default_factory=list)
    hits: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, actor_id: str, cand: Candidate) -> None:
        self.hits[actor_id].append(cand.text)
        self.mentions.append(Mention("actor", actor_id, cand.text, cand.start, cand.end))


def sort_candidates(doc: Document) -> Sorted:
    out = Sorted()
    actors = doc.actors
    for cand in doc.found:
        actor_ids: tuple[str, ...] = ()
        if "acronym" in cand.kinds:
            actor_ids = actors.acronyms[cand.text]
        elif "actor" in cand.kinds:
            actor_ids = actors.aliases[cand.key]
        if len(actor_ids) > 1 or (actor_ids and cand.key in actors.generic):
            out.shared_names.append((cand, actor_ids))  # "National Guard": whose? decided later
        elif actor_ids:
            out.actors.append((cand, actor_ids[0]))
        elif "country" in cand.kinds or "demonym" in cand.kinds:
            out.countries.append(cand)
        else:
            out.places.append(cand)
    return out


def country_codes(doc: Document, cand: Candidate) -> tuple[str, ...]:
    names = doc.gazetteer.countries
    return (names.names if "country" in cand.kinds else names.demonyms)[cand.key]


def contested(cand: Candidate, code: str, gazetteer: Gazetteer) -> bool:
    """A country name that is also a region of another country (Georgia, Niger State)."""
    if "place" not in cand.kinds:
        return False
    return any(p.kind == "admin1" and p.country != code for p in gazetteer.places(cand.key))


def _person(doc: Document, cand: Candidate) -> bool:
    """A person's name ("Chad Wolf"), or a country's name put to another use ("US$")."""
    return doc.is_person(cand, doc.gazetteer.countries.names.__contains__) or (
        doc.non_toponym_use(cand)
    )


def country_evidence(doc: Document, parts: Sorted, known: Counter[str]) -> Counter[str]:
    """Unambiguous evidence of countries: names and demonyms of one country, well-known
    cities of one country, actors' home countries. Marks the counted candidates."""
    evidence = Counter(known)
    for cand in parts.countries:
        codes = country_codes(doc, cand)
        if (
            len(codes) == 1
            and not contested(cand, codes[0], doc.gazetteer)
            and not _person(doc, cand)
        ):
            evidence[codes[0]] += 1
            cand.counted = True
    for cand in parts.places:
        # a well-known city whose name belongs to one country is evidence for it too
        big = doc.tables.big_city_country(cand.key)
        if big and cand.key not in WORDS.common_word_places:
            evidence[big] += SCORES.big_city_evidence  # type: ignore[assignment]
    for actor_id in dict.fromkeys(actor_id for _, actor_id in parts.actors):
        home = doc.actors.by_id[actor_id].home
        if home:
            evidence[home] += SCORES.actor_home_evidence  # type: ignore[assignment]
    return evidence


def match_actors(doc: Document, parts: Sorted, evidence: Counter[str]) -> ActorMatches:
    """Registry actors by alias and acronym. Names several actors share ("Congress",
    "National Assembly", "AU") go to the one at home in the country the text is about; the
    registry's first when nothing says. A generic name ("the Senate", "the Socialists") is
    only ever the one at home in a country the text names: no French Senate in a text about
    Georgia's runoffs, no Senate at all in one about a country the registry has none for."""
    matches = ActorMatches()
    for cand, actor_id in parts.actors:
        matches.add(actor_id, cand)
    by_id = doc.actors.by_id
    for cand, actor_ids in parts.shared_names:
        if cand.key in doc.actors.generic and "acronym" not in cand.kinds:
            actor_ids = tuple(a for a in actor_ids if evidence[by_id[a].home or ""])
            if not actor_ids:
                continue
        best_id = max(actor_ids, key=lambda a: (_named(by_id[a], evidence), -actor_ids.index(a)))
        matches.add(best_id, cand)
    return matches


def _named(actor: ActorDef, evidence: Counter[str]) -> float:
    """How much the text names the actor's home country; for one with none (a mission, an
    alliance), the most named of its countries ("MSS" in a story about Haiti)."""
    if actor.home:
        return evidence[actor.home]
    return max((evidence[c] for c in actor.countries), default=0)


def _rival_region(doc: Document, cand: Candidate, code: str, evidence: Counter[str]) -> bool:
    """Whether a contested country name means the other country's region here: "Niger
    State" says so; a U.S. state's name (Georgia) is read from a text plainly about the U.S."""
    rivals = [p for p in doc.gazetteer.places(cand.key) if p.kind == "admin1" and p.country != code]
    rival = max(rivals, key=lambda p: evidence[p.country], default=None)
    return rival is not None and (
        cand.word_after.lower() == "state"
        or _qualifies_a_town_of(doc, cand, rival.admin1)
        or (
            rival.country == "US"
            and evidence[rival.country] >= evidence[code] + SCORES.us_state_margin
        )
    )


def _qualifies_a_town_of(doc: Document, cand: Candidate, region: str) -> bool:
    """ "Athens, Georgia": the name right after a comma that follows a town of that region."""
    return any(
        f"{o.country}-{o.admin1}" == region
        for before in qualified_by(doc, cand)
        for o in doc.gazetteer.places(before.key)
        if o.kind == "city"
    )


def country_form(cand: Candidate) -> str:
    """How a country candidate names it (see `Mention.form`): a demonym written as a plural
    noun ("Americans", "Turks", "Iraqis"; not "Swiss") names the people."""
    if "country" in cand.kinds or "demonym" not in cand.kinds:
        return "name"
    word = cand.text
    return "people" if word.endswith("s") and not word.endswith("ss") else "demonym"


def resolve_countries(
    doc: Document, parts: Sorted, evidence: Counter[str]
) -> tuple[list[Mention], list[Candidate]]:
    """Countries named by ambiguous words, in the light of the evidence; returns the country
    mentions and the candidates that turned out to be places (Georgia the U.S. state)."""
    mentions: list[Mention] = []
    places: list[Candidate] = []
    for cand in parts.countries:
        codes = country_codes(doc, cand)
        if _person(doc, cand):
            continue  # a person: "Chad Wolf", "President Jordan ..."
        if (
            "country" in cand.kinds
            and len(codes) == 1
            and contested(cand, codes[0], doc.gazetteer)
            and _rival_region(doc, cand, codes[0], evidence)
        ):
            places.append(cand)
            continue
        code = max(codes, key=lambda c: (evidence[c], c == codes[0]))
        mentions.append(
            Mention("country", code, cand.text, cand.start, cand.end, country_form(cand))
        )
        if not cand.counted:
            evidence[code] += 1
    return mentions, places
