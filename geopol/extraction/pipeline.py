"""Text in, places, countries, actors out. Pure: no ORM, no network, no model download.

Steps, each a small function:

1. `name_tokens` (in `matching`): the words of every name-shaped run the regex engine finds.
2. `candidates` (in `matching`): the longest known names starting at those words.
3. `resolve`: decide what each candidate is, using the document's own evidence: countries
   named outright, actors' countries, admin-1 regions, population, and distance to the other
   places resolved in the same text. Common words and first names that are also places are
   dropped unless the context asks for them.
4. `aggregate`: countries with mention counts and primary flags, regions, places, actors.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from geopol.extraction.actors import ActorDef, ActorIndex
from geopol.extraction.matching import (
    PARTICLES,
    Candidate,
    Token,
    candidates,
    match_tables,
    name_tokens,
    sentence_initial_flags,
)
from geopol.geo.gazetteer import Gazetteer, PlaceRecord, fold_name


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Places whose names are everyday English words or sentence openers: never read as a city
# unless a location cue and the country context both agree.
COMMON_WORD_PLACES = _words(
    """
    delta secretary pacific atlantic brent wti urals opec crude bond bonds dollar euro yuan
    rupee ruble africa asia europe america americas oceania antarctica eurasia caribbean of
    male nice bath reading split mobile police army union independence liberty victory unity
    progress hope friendship commerce industry enterprise university central most more much
    many some other given even still best good long lead early late media western eastern
    northern southern north south east west borders border security defence defense ocean
    forces force state states president minister government military the this that these
    those after before during while since moreover however although because within without
    despite training operations reports officials talks deal trade energy oil gas power
    capital general colonel major captain post mission coalition alliance council parliament
    congress senate court bank national federal republic kingdom empire royal islamic
    christian muslim jihad jihadist jihadists rebel rebels mali's french later again once
    first second third last next new old little big great grand high low upper lower middle
    centre center port harbour harbor bay island islands lake river valley hill hills mount
    cape point city town village camp station junction crossing bridge gate fort field
    fields park garden gardens home house school church mosque market mine mines well wells
    spring springs lincoln jackson franklin madison hamilton clinton trump biden obama bush
    putin xi modi erdogan macron merkel scholz johnson may's sunak starmer zelensky
    netanyahu assad kim moon lee abe kishida lula milei maduro chavez castro morales petro
    bukele boric duque uribe santos fox ruto kenyatta buhari tinubu ramaphosa zuma mugabe
    museveni kagame tshisekedi kabila deby keita goita traore tiani bazoum sisi morsi
    mubarak gaddafi haftar saied khamenei rouhani raisi pezeshkian salman zayed tamim
    abdullah hussein saddam maliki sadr abadi sudani nasrallah haniyeh sinwar abbas dalai
    lama pope francis king queen prince princess sheikh emir sultan said says told according
    reported noted added analysts analyst observers diplomats sources western-backed
    intervention deployment offensive attack attacks strike strikes war peace ceasefire
    agreement accord treaty summit vote election elections referendum coup protest protests
    crisis conflict fighting battle siege front line lines zone area region province
    district county division sector corridor pass road route highway airport base bases
    airfield april's islam arab arabs kurd kurds kurdish berber tuareg fulani hausa yoruba
    igbo tigrayan amhara oromo somali pashtun tajik uzbek hazara baloch sindhi punjabi tamil
    sinhalese rohingya karen kachin shan chin mon wa han uyghur tibetan mongol cossack tatar
    chechen dagestani ossetian abkhaz armenian azeri georgian roma sami basque catalan
    corsican flemish walloon scots welsh irish english
    """
)
# First names that are also places: "Georgia Meloni", "Chad Wolf", "Jordan Bardella".
FIRST_NAME_PLACES = _words(
    """
    georgia jordan chad victoria florence austin paris lincoln charlotte
    elizabeth sydney camden chelsea brooklyn dallas houston phoenix denver savannah madison
    regina alexandria adelaide aurora lorraine valencia santiago salvador trinidad
    orlando raleigh eugene marion warren clinton jackson
    washington franklin hamilton
    """
)
TITLES = _words(
    """
    president prime minister gen general col colonel mr mrs ms dr sen senator rep king queen
    prince sheikh emir judge justice secretary governor mayor ambassador chancellor premier
    commander lt maj capt adm admiral marshal sgt leader
    """
)
LOCATIVE_CUES = _words(
    """
    in at near to from outside around toward towards into of between via through across inside
    reach
    """
)


@dataclass
class Mention:
    kind: str  # country, place, actor
    key: str  # ISO code, place key or actor id
    text: str
    start: int
    end: int


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


@dataclass
class ActorResult:
    id: str
    name: str
    kind: str
    aliases_in_text: list[str]
    countries: list[str]
    mentions: int


@dataclass
class Extraction:
    countries: list[CountryResult]
    places: list[PlaceResult]
    actors: list[ActorResult]
    mentions: list[Mention]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


PREVIOUS_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")


def _previous_word(text: str, start: int) -> str:
    match = PREVIOUS_WORD_RE.search(text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def _next_token(toks: list[Token], candidate: Candidate) -> Token | None:
    for token in toks[candidate.first_token :]:
        if token.start >= candidate.end:
            return token
    return None


CALENDAR_WORDS = _words(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday
    """
)
DIRECTIONS = _words(
    """
    north south east west central northern southern eastern western greater upper lower new
    old
    """
)
PLACE_SUFFIXES = _words(
    """
    region province state oblast governorate district county city department prefecture
    valley river basin island islands strait
    """
)


def _inside_longer_name(cand: Candidate, region_cue: bool) -> bool:
    """True when capitalised words around a one-word place make it part of another name."""
    after = cand.word_after.lower()
    if after and after not in PLACE_SUFFIXES and not region_cue:
        return True
    before = cand.word_before.lower()
    return bool(before) and before not in DIRECTIONS


def _contested(cand: Candidate, code: str, gazetteer: Gazetteer) -> bool:
    """A country name that is also a region of another country (Georgia, Niger State)."""
    if "place" not in cand.kinds:
        return False
    return any(p.kind == "admin1" and p.country != code for p in gazetteer.places(cand.key))


def _looks_like_person(
    text: str, toks: list[Token], cand: Candidate, known: Callable[[str], bool]
) -> bool:
    """'Chad Wolf', 'Georgia Meloni', 'President Jordan': a first name, not a place.
    `known` says whether a folded word names something itself ("Chad Niger" is no person)."""
    if cand.key not in FIRST_NAME_PLACES:
        return False
    if _previous_word(text, cand.start) in TITLES:
        return True
    nxt = _next_token(toks, cand)
    return (
        nxt is not None
        and nxt.capitalised
        and nxt.start - cand.end <= 1
        and not known(fold_name(nxt.text))
        and nxt.text.lower() not in PARTICLES
    )


def place_key(record: PlaceRecord) -> str:
    if record.geonames_id:
        return f"geonames:{record.geonames_id}"
    if record.kind == "admin1":
        return f"iso:{record.admin1}"
    return f"{record.kind}:{fold_name(record.name)}:{record.lat:.2f},{record.lon:.2f}"


def extract(
    text: str,
    gazetteer: Gazetteer,
    actors: ActorIndex,
    *,
    title: str = "",
    known_countries: Iterable[str] = (),
) -> Extraction:
    """Everything the text says about where and who. `title` counts extra for primacy;
    `known_countries` are an editor's tags, treated as context."""
    full = f"{title}\n\n{text}" if title else text
    title_end = len(title)
    toks, run = name_tokens(full)
    initial = sentence_initial_flags(full, toks)
    found = candidates(full, toks, gazetteer, actors, run, initial)
    facts = TextFacts.of(full, toks, initial)
    facts.name_parts = _name_parts(toks, run, found, initial)
    tables = match_tables(gazetteer, actors)
    facts.admin1_codes = {
        code for c in found if "place" in c.kinds for code in tables.admin1(c.key)
    }
    country_names = gazetteer.countries

    # Pass 1: unambiguous evidence of countries (names, demonyms with one country, actors).
    evidence: Counter[str] = Counter(known_countries)
    mentions: list[Mention] = []
    actor_hits: dict[str, list[str]] = defaultdict(list)
    shared_names: list[tuple[Candidate, tuple[str, ...]]] = []
    pending_places: list[Candidate] = []
    ambiguous_countries: list[Candidate] = []
    for cand in found:
        actor_ids: tuple[str, ...] = ()
        if "acronym" in cand.kinds:
            actor_ids = actors.acronyms[cand.text]
        elif "actor" in cand.kinds:
            actor_ids = actors.aliases[cand.key]
        if len(actor_ids) > 1:
            shared_names.append((cand, actor_ids))  # "National Guard": whose? decided below
            continue
        if actor_ids:
            actor = actors.by_id[actor_ids[0]]
            actor_hits[actor.id].append(cand.text)
            mentions.append(Mention("actor", actor.id, cand.text, cand.start, cand.end))
            continue
        if "country" in cand.kinds or "demonym" in cand.kinds:
            table = country_names.names if "country" in cand.kinds else country_names.demonyms
            codes = table[cand.key]
            if (
                len(codes) == 1
                and not _contested(cand, codes[0], gazetteer)
                and not _looks_like_person(full, toks, cand, country_names.names.__contains__)
            ):
                evidence[codes[0]] += 1
                cand.counted = True
            ambiguous_countries.append(cand)
            continue
        pending_places.append(cand)
        # a well-known city whose name belongs to one country is evidence for it too
        big = tables.big_city_country(cand.key)
        if big and cand.key not in COMMON_WORD_PLACES:
            evidence[big] += 0.5  # type: ignore[assignment]
    for actor_id in actor_hits:
        home = actors.by_id[actor_id].home
        if home:
            evidence[home] += 0.5  # type: ignore[assignment]
    # Names several actors share ("Congress", "National Assembly", "AU"): the one at home in
    # the country the text is about; the registry's first when nothing says.
    for cand, actor_ids in shared_names:
        best_id = max(
            actor_ids,
            key=lambda a: (evidence[actors.by_id[a].home or ""], -actor_ids.index(a)),
        )
        actor_hits[best_id].append(cand.text)
        mentions.append(Mention("actor", best_id, cand.text, cand.start, cand.end))

    # Pass 2: countries named by ambiguous words, in the light of the evidence.
    for cand in ambiguous_countries:
        table = country_names.names if "country" in cand.kinds else country_names.demonyms
        codes = table[cand.key]
        if _looks_like_person(full, toks, cand, country_names.names.__contains__):
            continue  # a person: "Chad Wolf", "President Jordan ..."
        if "country" in cand.kinds and len(codes) == 1 and _contested(cand, codes[0], gazetteer):
            # "Georgia" the country, or the U.S. state? "Niger" or Niger State? The context.
            rivals = [
                p
                for p in gazetteer.places(cand.key)
                if p.kind == "admin1" and p.country != codes[0]
            ]
            rival = max(rivals, key=lambda p: evidence[p.country], default=None)
            # "Niger State" says so; a U.S. state's name (Georgia) is also read from a text
            # that is plainly about the United States
            if rival is not None and (
                cand.word_after.lower() == "state"
                or (rival.country == "US" and evidence[rival.country] >= evidence[codes[0]] + 1.5)
            ):
                pending_places.append(cand)
                continue
        code = max(codes, key=lambda c: (evidence[c], c == codes[0]))
        mentions.append(Mention("country", code, cand.text, cand.start, cand.end))
        if not cand.counted:
            evidence[code] += 1

    # Pass 3: places, best candidate first by context; then distance to the others.
    resolved: list[tuple[Candidate, PlaceRecord]] = []
    for cand in pending_places:
        record = _choose_place(facts, full, toks, cand, gazetteer, evidence)
        if record is not None:
            resolved.append((cand, record))
    if len(resolved) > 2:
        resolved = _refine_by_distance(resolved, gazetteer, evidence)
    for cand, record in resolved:
        mentions.append(Mention("place", place_key(record), cand.text, cand.start, cand.end))

    # offsets relative to the body when a title was prepended
    if title:
        shift = len(title) + 2
        body_mentions = []
        for m in mentions:
            if m.start >= shift:
                body_mentions.append(Mention(m.kind, m.key, m.text, m.start - shift, m.end - shift))
            else:
                body_mentions.append(Mention(m.kind, m.key, m.text, -1, -1))  # in the title
        mentions_out = body_mentions
    else:
        mentions_out = mentions
    return _aggregate(
        mentions, mentions_out, resolved, gazetteer, actors, actor_hits, title_end, known_countries
    )


REGION_CUE_RE = re.compile(
    r"\s+(region|province|state|oblast|governorate|district|county|department|prefecture)\b",
    re.I,
)


def _choose_place(
    facts: TextFacts,
    text: str,
    toks: list[Token],
    cand: Candidate,
    gazetteer: Gazetteer,
    evidence: Counter[str],
) -> PlaceRecord | None:
    options = gazetteer.places(cand.key)
    if not options:
        return None
    single_word = " " not in cand.key
    before = _previous_word(text, cand.start)
    region_cue = REGION_CUE_RE.match(text[cand.end : cand.end + 16])
    if before in TITLES or _looks_like_person(text, toks, cand, gazetteer.has_place):
        return None
    if single_word and _inside_longer_name(cand, region_cue is not None):
        return None  # "Viktor Orban", "Paris Agreement", "Malmstrom Air Force Base"
    if (
        single_word
        and cand.text in facts.name_parts
        and not any(o.population >= 1_000_000 or o.kind in ("feature", "admin1") for o in options)
    ):
        return None  # "Massa said", after "Sergio Massa"
    common = cand.key in COMMON_WORD_PLACES
    lowercase_elsewhere = (
        single_word and cand.text != cand.text.lower() and facts.writes_lowercase(cand.text.lower())
    )

    def score(record: PlaceRecord) -> float:
        value = 0.0
        if record.kind == "feature":
            value += 6.0
            if any(evidence[c] for c in record.countries):
                value += 2.0
        if record.country and evidence[record.country]:
            value += 3.0 + min(evidence[record.country], 3) * 0.5
        if record.kind in ("admin1", "admin"):
            value += 6.0 if region_cue else (1.0 if record.kind == "admin1" else -1.0)
            if record.kind == "admin1":
                value += 4.5  # a state or province is as well known as a sizeable town
        if record.admin1 and f"{record.country}-{record.admin1}" in facts.admin1_codes:
            value += 3.0  # "Alexandria, Virginia": its state is named too
        value += math.log10(record.population + 1)
        if record.population >= 1_000_000:
            value += 1.5  # a metropolis is what "London" usually means
        if record.population >= 5_000_000:
            value += 1.5
        return value

    best = max(options, key=lambda r: (score(r), r.population))
    namesake = max(options, key=lambda r: r.population)
    if (
        best.kind == "city"
        and best.population < 100_000
        and namesake.population >= 500_000
        and namesake.country != best.country
        and not (best.admin1 and f"{best.country}-{best.admin1}" in facts.admin1_codes)
    ):
        best = namesake  # "Dublin" is Ireland's capital unless the text says Dublin, Ohio
    in_context = bool(
        (best.country and evidence[best.country])
        or (
            best.kind == "feature" and (any(evidence[c] for c in best.countries) or not single_word)
        )
    )
    if cand.key in CALENDAR_WORDS:
        return None
    if (common or lowercase_elsewhere) and not (in_context and before in LOCATIVE_CUES):
        return None
    # out of context only well-known places count: a feature, a big city, a multi-word name
    # of a town, or a region written mid-sentence
    well_known = (
        best.kind == "feature"
        or (best.population >= 100_000 and not (cand.sentence_initial and single_word))
        or (not single_word and best.population >= 5_000)
        or (best.kind == "admin1" and not cand.sentence_initial)
    )
    if not in_context and not well_known:
        return None
    if (
        cand.sentence_initial
        and single_word
        and best.kind == "city"
        and best.population < 10_000
        and cand.text not in facts.mid_sentence_words()
    ):
        return None  # "Voters ...", "Officials ...": a capitalised word, not a hamlet
    if best.kind == "admin1" and best.lat == 0.0 and best.lon == 0.0:
        best = _locate_admin1(best, gazetteer)
    return best


LOWER_WORD_RE = re.compile(r"(?<![\w'’])[a-z][a-z'’]*")


@dataclass
class TextFacts:
    """Facts about the whole text: which words it also writes in lower case, and which
    capitalised words it also writes in mid-sentence."""

    text: str
    toks: list[Token]
    initial: list[bool]
    admin1_codes: set[str] = field(default_factory=set)  # ISO 3166-2 regions named
    # words the text also uses as part of a person's name: "Sergio Massa", "Ariel Henry"
    name_parts: set[str] = field(default_factory=set)
    _lowercase: dict[str, bool] = field(default_factory=dict)
    _mid_sentence: set[str] | None = None

    @classmethod
    def of(cls, text: str, toks: list[Token], initial: list[bool]) -> TextFacts:
        return cls(text, toks, initial)

    def mid_sentence_words(self) -> set[str]:
        """The capitalised words the text also writes in mid-sentence; asked for only by a
        few texts, so listed on first use."""
        if self._mid_sentence is None:
            self._mid_sentence = {
                t.text
                for t, first in zip(self.toks, self.initial, strict=True)
                if not first and t.text[:1].isupper()
            }
        return self._mid_sentence

    def writes_lowercase(self, word: str) -> bool:
        """Whether the text has `word` as a whole lowercase word (one LOWER_WORD_RE finds).
        Asked for a few dozen words per text, so searched for each rather than listing
        every lowercase word of the text."""
        found = self._lowercase.get(word)
        if found is None:
            found = self._lowercase[word] = _has_lowercase_word(self.text, word)
        return found


def _has_lowercase_word(text: str, word: str) -> bool:
    if not LOWER_WORD_RE.fullmatch(word):
        return False
    size = len(word)
    position = text.find(word)
    while position >= 0:
        before = text[position - 1] if position else " "
        after = text[position + size : position + size + 1]
        if not (before.isalnum() or before in "_'’") and not (
            after and ("a" <= after <= "z" or after in "'’")
        ):
            return True
        position = text.find(word, position + 1)
    return False


def _name_parts(
    toks: list[Token], run: list[int], found: list[Candidate], initial: list[bool]
) -> set[str]:
    """Capitalised word pairs that are no known name: most are people ("Sergio Massa")."""
    position = 0
    spans = sorted((c.start, c.end) for c in found)  # names the matcher found, in order
    parts: set[str] = set()
    pairs: list[int] = []  # every token followed by another of its run
    start, count = 0, len(toks)
    while start < count:
        pairs += range(start, start + run[start] - 1)
        start += run[start]
    for i in pairs:
        first, second = toks[i], toks[i + 1]
        if not (first.text[:1].isupper() and second.text[:1].isupper()):
            continue
        while position < len(spans) and spans[position][1] <= first.start:
            position += 1
        if (
            position < len(spans)
            and spans[position][0] <= first.start
            and (second.end <= spans[position][1])
        ):
            continue  # inside a longer known name ("Buenos Aires", "Sierra Leone")
        low_first, low_second = first.text.lower(), second.text.lower()
        if low_second in PLACE_SUFFIXES or low_first in DIRECTIONS or low_first in TITLES:
            continue
        if initial[i]:
            continue  # "Retaking Timbuktu": the first word is capitalised by the sentence
        parts.update((first.text, second.text))
    return parts


def _locate_admin1(record: PlaceRecord, gazetteer: Gazetteer) -> PlaceRecord:
    """Give an ISO 3166-2 region a point: its namesake city. Without one the region keeps no
    coordinates (NaN): better no marker than one at 0°, 0°."""
    namesakes = [
        c for c in gazetteer.cities.lookup(fold_name(record.name)) if c.country == record.country
    ]
    if namesakes:
        city = max(namesakes, key=lambda c: c.population)
        return PlaceRecord(
            record.name,
            city.lat,
            city.lon,
            record.country,
            "admin1",
            city.population,
            None,
            record.admin1,
            record.feature_kind,
        )
    return PlaceRecord(
        record.name,
        math.nan,
        math.nan,
        record.country,
        "admin1",
        0,
        None,
        record.admin1,
        record.feature_kind,
    )


def _refine_by_distance(
    resolved: list[tuple[Candidate, PlaceRecord]], gazetteer: Gazetteer, evidence: Counter[str]
) -> list[tuple[Candidate, PlaceRecord]]:
    """Move ambiguous names to the candidate nearest the rest of the story."""
    anchors = [
        (r.lat, r.lon)
        for _, r in resolved
        if (r.lat or r.lon) and not math.isnan(r.lat) and not math.isnan(r.lon)
    ]
    if len(anchors) < 3:
        return resolved
    centre = (
        sorted(a[0] for a in anchors)[len(anchors) // 2],
        sorted(a[1] for a in anchors)[len(anchors) // 2],
    )
    refined = []
    for cand, record in resolved:
        if record.population >= 500_000:  # a metropolis is not moved for being far away
            refined.append((cand, record))
            continue
        options = [o for o in gazetteer.places(cand.key) if o.kind == "city"]
        if len(options) > 1 and record.kind == "city":
            near = min(options, key=lambda o: distance_km((o.lat, o.lon), centre))
            if (
                near is not record
                and (evidence[near.country], near.population)
                > (evidence[record.country], record.population)
                and distance_km((near.lat, near.lon), centre) + 500
                < distance_km((record.lat, record.lon), centre)
            ):
                record = near
        refined.append((cand, record))
    return refined


def _aggregate(
    mentions: list[Mention],
    mentions_out: list[Mention],
    resolved: list[tuple[Candidate, PlaceRecord]],
    gazetteer: Gazetteer,
    actors: ActorIndex,
    actor_hits: dict[str, list[str]],
    title_end: int,
    known_countries: Iterable[str],
) -> Extraction:
    display = gazetteer.countries.display
    named: Counter[str] = Counter()
    score: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "country":
            named[m.key] += 1
            score[m.key] += 3.0 if m.start < title_end else 1.0  # type: ignore[assignment]
    place_mentions: Counter[str] = Counter()
    places: dict[str, PlaceResult] = {}
    for cand, record in resolved:
        key = place_key(record)
        place_mentions[key] += 1
        if key not in places:
            places[key] = PlaceResult(
                key=key,
                name=cand.text,
                canonical=record.name,
                country=record.country,
                lat=None if math.isnan(record.lat) else record.lat,
                lon=None if math.isnan(record.lon) else record.lon,
                geonames_id=record.geonames_id,
                kind=record.feature_kind or record.kind,
                mentions=0,
            )
        weight = 1.5 if cand.start < title_end else 0.5
        # a place implies its country; a sea or desert shared by many implies none of them
        implied = record.country or (record.countries[0] if len(record.countries) == 1 else "")
        if implied:
            score[implied] += weight  # type: ignore[assignment]
    for key, count in place_mentions.items():
        places[key].mentions = count
    for code in known_countries:
        score[code] += 2.0  # type: ignore[assignment]
    top = max(score.values(), default=0.0)
    ranked = sorted(score, key=lambda c: (-score[c], c))
    primary = {c for c in ranked[:3] if score[c] >= 0.5 * top and score[c] >= 1.0}
    if ranked and not primary:
        primary = {ranked[0]}
    countries = [
        CountryResult(
            code=c,
            name=display.get(c, c),
            primary=c in primary,
            mentions=named[c] + sum(n for k, n in place_mentions.items() if places[k].country == c),
            score=round(float(score[c]), 2),
        )
        for c in ranked
        if c in display
    ]
    actor_results = []
    for actor_id, surfaces in actor_hits.items():
        actor: ActorDef = actors.by_id[actor_id]
        actor_results.append(
            ActorResult(
                id=actor.id,
                name=actor.name,
                kind=actor.kind,
                aliases_in_text=sorted(set(surfaces), key=surfaces.index),
                countries=list(actor.countries),
                mentions=len(surfaces),
            )
        )
    actor_results.sort(key=lambda a: -a.mentions)
    place_list = sorted(places.values(), key=lambda p: -p.mentions)
    return Extraction(
        countries=countries, places=place_list, actors=actor_results, mentions=mentions_out
    )
