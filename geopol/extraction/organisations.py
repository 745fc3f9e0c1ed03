"""Pass 2d of the geoparser, organisations the registry lacks, found by their shape: a run
of capitalised words that ends in an organisation's head noun ("the Field Action
Coordination Cell", "the Baku Initiative Group", "the Conservative Party's European Research
Group"), with the acronym the text defines for it ("... Coordination Cell (CCAT)") and the
later mentions of that acronym. Kinds follow the head noun (`HEAD_KINDS`). They are actors of
this text only: ids start with "text:", they have no page until an editor adds them to the
registry. Pure."""

from __future__ import annotations

import re

from geopol.extraction.actors import ActorDef
from geopol.extraction.evidence import ActorMatches
from geopol.extraction.matching import Candidate
from geopol.extraction.reading import Document
from geopol.geo.gazetteer import fold_name

# the head noun an organisation's name ends in, and the kind of actor it makes
HEAD_KINDS = {
    "party": "political-party",
    "front": "political-movement",
    "movement": "political-movement",
    "alliance": "political-movement",
    "coalition": "political-movement",
    "bloc": "political-movement",
    "league": "political-movement",
    "group": "political-movement",
    "cell": "political-movement",
    "network": "political-movement",
    "committee": "political-movement",
    "federation": "political-movement",
    "confederation": "political-movement",
    "army": "armed-group",
    "brigade": "armed-group",
    "brigades": "armed-group",
    "militia": "armed-group",
    "battalion": "armed-group",
    "battalions": "armed-group",
    "forces": "armed-group",
    "force": "state-force",
    "guard": "state-force",
    "corps": "state-force",
    "command": "state-force",
    "council": "state-institution",
    "commission": "state-institution",
    "agency": "state-institution",
    "authority": "state-institution",
    "assembly": "state-institution",
    "ministry": "state-institution",
    "directorate": "state-institution",
    "court": "state-institution",
    "mission": "mission",
    "police": "state-force",
    "patrol": "state-force",
    "tribunal": "state-institution",
    "organization": "igo",
    "organisation": "igo",
}
_WORD = r"[A-Z][\w'’\-]*"
_LINK = r"(?:of|for|and|the|de|du|des|la|al|el|on|&)"
# a run of capitalised words, with linking words inside, and what follows it
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # a line may break inside a name, a paragraph not
RUN_RE = re.compile(rf"(?<![\w'’\-.])({_WORD}(?:{_GAP}(?:{_LINK}{_GAP})*{_WORD})*)")
ACRONYM_AFTER_RE = re.compile(r"[ \t]*\(([A-Z][A-Za-z0-9&\-]{1,9})\)")
# what goes before the organisation in a run: a possessive ("the Conservative Party's ..."),
# an office ("Chair of the ..."), another name ("the Assembly and the ..."), in that order
CUTS = (
    re.compile(r"^.*['’]s\s+", re.S),
    re.compile(
        r"^(?:President|Chair|Chairman|Chairperson|Member|Members|Head|Heads|Secretary|Session"
        r"|Charter|Meeting|States)\s+of\s+(?:the\s+)?"
    ),
    re.compile(r"^.*\bthe\s+", re.S),
)
# words a run may start with that are no part of the name
LEADING = frozenset(
    [
        "the",
        "a",
        "an",
        "at",
        "in",
        "on",
        "for",
        "by",
        "with",
        "from",
        "and",
        "but",
        "as",
        "while",
        "when",
        "after",
        "before",
        "under",
        "since",
        "during",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "that",
        "these",
        "those",
        "both",
        "each",
        "every",
    ]
)


# words that describe rather than name: "the Armed Forces", "Special Forces", "a Task Force"
# refer back or to a kind of unit; a name needs one other word
DESCRIPTIVE = frozenset(
    [
        "armed",
        "security",
        "special",
        "national",
        "federal",
        "military",
        "defence",
        "defense",
        "joint",
        "regional",
        "local",
        "central",
        "supreme",
        "high",
        "air",
        "naval",
        "coast",
        "border",
        "task",
        "elite",
        "government",
        "opposition",
        "ruling",
        "interim",
        "transitional",
        "provincial",
        "municipal",
        "city",
        "state",
        "international",
        "multinational",
        "allied",
        "rebel",
        "new",
        "main",
        "united",
    ]
)


def organisations_by_shape(doc: Document, matches: ActorMatches) -> dict[str, ActorDef]:
    """The organisations the registry lacks that the text names by their shape, added to
    `matches`; returns them by id, for `aggregation.collect_actors`."""
    taken = sorted((m.start, m.end) for m in matches.mentions)
    persons = doc.person_spans
    found: dict[str, ActorDef] = {}
    acronyms: dict[str, str] = {}  # acronym the text defines -> id
    for run_start, run_text in _segments(doc.text):
        end = run_start + len(run_text)  # trimming takes words off the front only
        kind = HEAD_KINDS.get(run_text.rsplit(None, 1)[-1].lower())
        acronym = ACRONYM_AFTER_RE.match(doc.text, end)
        if kind is None and acronym is None:
            continue  # most runs: looked at no further
        start, written = _trimmed(doc, run_start, run_text)
        words = written.split()
        name = " ".join(words)
        if kind is None and acronym and _abbreviates(acronym.group(1), words):
            kind = DEFAULT_KIND  # "Ahrar al-Sham (AAS)": the text says it is a name
        if (
            kind is None
            or not 2 <= len(words) <= MAX_WORDS
            or len(name) > MAX_CHARS  # a tag's key holds 120 characters
            or start < doc.title_end  # a title is written in title case
            or all(w.lower() in DESCRIPTIVE for w in words[:-1])
            or _country_and_head(doc, words)
        ):
            continue
        if _overlaps(taken, start, end) or _overlaps(persons, start, end):
            continue
        actor_id = "text:" + fold_name(name).replace(" ", "-")
        if actor_id not in found:
            found[actor_id] = ActorDef(actor_id, name, kind, note="Named so in this text.")
        matches.add(actor_id, Candidate(start, end, written, "", 0, False, {"actor"}))
        if acronym and acronym.group(1) not in doc.actors.acronyms:
            acronyms.setdefault(acronym.group(1), actor_id)
    for letters, actor_id in acronyms.items():
        for m in re.finditer(rf"(?<![\w\-]){re.escape(letters)}(?![\w\-])", doc.text):
            text = m.group()
            matches.add(actor_id, Candidate(m.start(), m.end(), text, "", 0, False, {"actor"}))
    return found


DEFAULT_KIND = "political-movement"
MAX_WORDS, MAX_CHARS = 9, 80
# what a name with an acronym may be that is no organisation: "the Belt and Road Initiative
# (BRI)", "the China-Pakistan Economic Corridor (CPEC)"
NOT_ORGANISATIONS = frozenset(
    [
        "treaty",
        "agreement",
        "accord",
        "accords",
        "initiative",
        "corridor",
        "program",
        "programme",
        "plan",
        "act",
        "framework",
        "convention",
        "protocol",
        "strategy",
        "zone",
        "line",
        "project",
        "law",
        "system",
        "index",
        "fund",
        "deal",
        "pact",
        "declaration",
        "charter",
        "operation",
        "exercise",
        "summit",
        "conference",
        "forum",
        "process",
        "report",
        "area",
        "region",
        "province",
        "state",
        "district",
        "county",
        "island",
        "islands",
        "sea",
        "strait",
        "river",
        "canal",
        "pipeline",
        "route",
        "road",
        "highway",
        "airport",
        "port",
        "base",
        "product",
        "products",
        "rate",
        "rates",
        "price",
        "prices",
        "growth",
        "goal",
        "goals",
        "contribution",
        "contributions",
        "order",
        "pool",
        "mechanism",
        "facility",
    ]
)


def _abbreviates(acronym: str, words: list[str]) -> bool:
    """Whether the acronym's letters are the initials of the name's capitalised words, in
    order, all of them used ("Movement for Unity and Jihad" -> "MUJ"; "AAS" for "Ahrar
    al-Sham": hyphenated parts count), and the name is no treaty, plan or place."""
    if not words or words[-1].lower() in NOT_ORGANISATIONS:
        return False
    initials = [
        p[0] for w in words for p in re.split(r"[-‐]", w) if p[:1].isupper() or p in ("al", "el")
    ]
    letters = [c for c in acronym.upper() if c.isalpha()]
    if len(letters) < 2:
        return False
    i = 0
    for c in (x.upper() for x in initials):
        if i < len(letters) and c == letters[i]:
            i += 1
    return i == len(letters) and len(letters) >= len([x for x in initials if x.isupper()]) - 1


AND_THE_RE = re.compile(r"\s+and\s+the\s+")


def _segments(text: str) -> list[tuple[int, str]]:
    """The runs of capitalised words, each cut at "and the" ("the Missouri Highway Patrol
    and the Victoria Police" names two)."""
    segments = []
    for run in RUN_RE.finditer(text):
        start, name = run.start(1), run.group(1)
        for part in AND_THE_RE.split(name):
            at = name.index(part)
            segments.append((start + at, part))
            name, start = name[at + len(part) :], start + at + len(part)
    return segments


def _trimmed(doc: Document, start: int, name: str) -> tuple[int, str]:
    """The run without what goes before the organisation's name (CUTS) and without the
    words that open it without being part of it ("At the ...", a sentence's "Allowing the
    Court": a word the text also writes in lower case)."""
    for cut in CUTS:
        found = cut.match(name)
        if found:
            start, name = start + found.end(), name[found.end() :]
    while True:
        first = name.split(None, 1)
        if len(first) < 2:
            return start, name
        word = first[0].lower()
        before = doc.text[max(0, start - 200) : start].rstrip()
        opens = not before or before[-1] in '.!?:;"“'
        if word not in LEADING and not (opens and doc.facts.writes_lowercase(word)):
            return start, name
        skip = len(name) - len(first[1])
        start, name = start + skip, first[1]


def _country_and_head(doc: Document, words: list[str]) -> bool:
    """ "Mexican Army", "Ugandan forces": a country's force (the state-force pass's), not a
    name of its own."""
    countries = doc.gazetteer.countries
    key = fold_name(" ".join(words[:-1]))
    if key in countries.names or key in countries.demonyms:
        return True
    # "the United States and Russian Federation": a country ends the run
    return any(fold_name(" ".join(words[i:])) in countries.names for i in range(len(words) - 1))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
