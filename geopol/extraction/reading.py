"""Pass 1 of the geoparser, candidates: the text read once into what the later passes ask
about it (tokens, candidate names, sentence starts, words it writes in lower case, person-name
spans). Pure, like the rest of the pipeline."""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from geopol.extraction.actors import ActorIndex
from geopol.extraction.matching import (
    Candidate,
    MatchTables,
    Token,
    alternation,
    candidates,
    match_tables,
    name_tokens,
    sentence_initial_flags,
)
from geopol.extraction.rules import SCORES, WORDS
from geopol.geo.gazetteer import Gazetteer, fold_name

NEXT_LOWER_RE = re.compile(r"\s+([a-z]+)")
DATELINE_RE = re.compile(r"(?m)^[ \t]*(?=[A-Z])")
LOWER_WORD_RE = re.compile(r"(?<![\w'’])[a-z][a-z'’]*")
PREVIOUS_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")


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


@dataclass
class Document:
    """One text as the passes see it. `text` is the title, a blank line and the body;
    `shift` is where the body starts in it (0 without a title)."""

    text: str
    title_end: int
    shift: int
    toks: list[Token]
    found: list[Candidate]
    facts: TextFacts
    tables: MatchTables
    gazetteer: Gazetteer
    actors: ActorIndex
    # spans (start, end) known to be persons' names: a place inside one is no place.
    # Filled by a persons step when there is one; empty otherwise.
    person_spans: list[tuple[int, int]] = field(default_factory=list)
    # first names that are also places, used as a person's name somewhere in this text
    # ("Georgia Smith ... Georgia began skating"): the same person elsewhere in it
    person_first_names: set[str] = field(default_factory=set)
    datelines: set[int] = field(default_factory=set)  # starts of dateline places ("LONDON —")

    @functools.cached_property
    def found_at(self) -> dict[int, Candidate]:
        """The candidates by where they start."""
        return {c.start: c for c in self.found}

    @functools.cached_property
    def found_by_end(self) -> dict[int, list[Candidate]]:
        """The candidates by where they end."""
        ends: dict[int, list[Candidate]] = {}
        for c in self.found:
            ends.setdefault(c.end, []).append(c)
        return ends

    def in_person_name(self, cand: Candidate) -> bool:
        spans = self.person_spans
        if not spans:
            return False
        i = (
            bisect.bisect(spans, (cand.start, math.inf)) - 1
        )  # the last span starting at or before it
        return any(
            spans[j][0] <= cand.start and cand.end <= spans[j][1]
            for j in range(max(0, i - 3), i + 1)
        )

    def is_person(self, cand: Candidate, known: Callable[[str], bool]) -> bool:
        """Whether the candidate is (part of) a person's name rather than a place."""
        if cand.start in self.datelines:
            return False
        if self.in_person_name(cand) or looks_like_person(self.text, self.toks, cand, known):
            return True
        return (
            cand.key in self.person_first_names
            and previous_word(self.text, cand.start) not in WORDS.locative_cues
        )

    def non_toponym_use(self, cand: Candidate) -> bool:
        """A place name used for something else: a currency ("US$"), a virus strain
        ("A/California/7/2009"), a disease named after a place ("West Nile virus")."""
        text = self.text
        after = text[cand.end : cand.end + 1]
        if after == "$" or after == "/" or text[cand.start - 1 : cand.start] == "/":
            return True
        match = NEXT_LOWER_RE.match(text, cand.end)
        return match is not None and match.group(1) in WORDS.modifier_heads


def read_document(text: str, gazetteer: Gazetteer, actors: ActorIndex, title: str) -> Document:
    """Tokens, candidates and the facts about the text the later passes need."""
    full = f"{title}\n\n{text}" if title else text
    toks, run = name_tokens(full)
    initial = sentence_initial_flags(full, toks)
    found = candidates(full, toks, gazetteer, actors, run, initial)
    facts = TextFacts.of(full, toks, initial)
    facts.name_parts = name_parts(toks, run, found, initial, len(title))
    tables = match_tables(gazetteer, actors)
    facts.admin1_codes = {
        code for c in found if "place" in c.kinds for code in tables.admin1(c.key)
    }
    shift = len(title) + 2 if title else 0
    doc = Document(full, len(title), shift, toks, found, facts, tables, gazetteer, actors)
    doc.datelines = dateline_starts(full, found)
    for cand in found:
        if cand.start in doc.datelines:
            cand.sentence_initial = False  # "LONDON —": a place, not a capitalised opener
    doc.person_spans = sorted(shape_person_spans(full))
    starts = [t.start for t in toks]  # in text order, none overlapping
    for start, end in doc.person_spans:
        i = bisect.bisect_left(starts, start)
        while i < len(toks) and toks[i].end <= end:  # the tokens inside the span
            facts.name_parts.add(toks[i].text)
            i += 1

    def known(key: str) -> bool:
        # a surname that is also a hamlet's name ("Georgia Stevens") does not make the pair
        # a place; a country, a region or a town of some size does ("Chad Niger")
        return key in gazetteer.countries.names or any(
            p.kind != "city" or p.population >= SCORES.hamlet_population
            for p in gazetteer.places(key)
        )

    doc.person_first_names = {
        c.key
        for c in found
        if c.key in WORDS.first_name_places
        and c.start not in doc.datelines  # "WASHINGTON Christopher Steele, who ..."
        and looks_like_person(full, toks, c, known)
    }
    return doc


def dateline_starts(text: str, found: list[Candidate]) -> set[int]:
    """Candidates written in capitals at the start of a line: datelines ("LONDON —",
    "COLUMBUS, Ohio —")."""
    line_starts = {m.end() for m in DATELINE_RE.finditer(text, 0, 2000)}
    return {
        c.start for c in found if c.start in line_starts and c.text.isupper() and len(c.text) > 2
    }


def _title_pattern() -> re.Pattern[str]:
    """Titles followed by capitalised words: the words are a person's name. A period may
    follow only a short title ("Lt. Paul Henderson", "Gov. Hugh Carey"), so that a sentence
    ending in "... the President." does not run into the next one. The titles are written
    as a trie (`matching.alternation`), which the regex engine rejects in a letter or two."""
    short = alternation(t.capitalize() for t in WORDS.titles if len(t) <= 4)
    long = alternation(t.capitalize() for t in WORDS.titles if len(t) > 4)
    title = rf"(?:{short}\.?|{long})"
    name = r"[A-Z][\w'’\-]*"
    return re.compile(rf"(?<![\w'’]){title}(?: {title})* ({name}(?: {name}){{0,3}})")


TITLE_NAME_RE = _title_pattern()
# "Marsha J. Moore", "Franklin D. Roosevelt": a first name, an initial, a surname
# (words of at most 40 letters: unbounded, every start inside a long hyphenated run scanned
# to its end, quadratic on "Ab-Ab-Ab-...")
MIDDLE_INITIAL_RE = re.compile(r"\b[A-Z][a-z][\w'’\-]{0,40} [A-Z]\. [A-Z][\w'’\-]{0,40}")


def shape_person_spans(text: str) -> list[tuple[int, int]]:
    """Spans that are persons' names by their shape: the capitalised words after a title,
    and a name with a middle initial. Found by the regex engine, not a loop over tokens."""
    spans = [m.span(1) for m in TITLE_NAME_RE.finditer(text)]
    spans += [m.span() for m in MIDDLE_INITIAL_RE.finditer(text)]
    return spans


def written_as_abbreviated(doc: Document, cand: Candidate) -> bool:
    """Whether a name that abbreviates a region is written as the style guides write the
    abbreviation: "Ky." with its period (and not inside "W.Va."), "NSW" in capitals. True
    for names that abbreviate nothing."""
    rule = doc.gazetteer.abbreviations.get(cand.key)
    if rule == "period":
        text = doc.text
        return text[cand.end : cand.end + 1] == "." and text[cand.start - 1 : cand.start] != "."
    if rule == "caps":
        return cand.text.isupper()
    return True


QUALIFIER_GAP_RE = re.compile(r",[ \t]*")


def qualifier_of(doc: Document, cand: Candidate) -> Candidate | None:
    """The name right after a comma that says where `cand` is ("Paris, Texas", "Edmonton,
    Ky.", "London, Ontario", "Tripoli, Lebanon"): the next candidate, when only a comma and
    spaces lie between them."""
    gap = QUALIFIER_GAP_RE.match(doc.text, cand.end)
    if gap is None:
        return None
    return doc.found_at.get(gap.end())


def qualified_by(doc: Document, cand: Candidate) -> list[Candidate]:
    """The names `cand` would qualify: those ending at a comma right before it, only spaces
    between ("Paris" for the "Texas" of "Paris, Texas"). The inverse of `qualifier_of`."""
    i = cand.start
    while i > 0 and doc.text[i - 1] in " \t":
        i -= 1
    if i == 0 or doc.text[i - 1] != ",":
        return []
    return [c for c in doc.found_by_end.get(i - 1, ()) if qualifier_of(doc, c) is cand]


def previous_word(text: str, start: int) -> str:
    match = PREVIOUS_WORD_RE.search(text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def next_token(toks: list[Token], candidate: Candidate) -> Token | None:
    for token in toks[candidate.first_token :]:
        if token.start >= candidate.end:
            return token
    return None


def inside_longer_name(cand: Candidate, region_cue: bool, text: str) -> bool:
    """True when capitalised words around a one-word place make it part of another name.
    Not when the word after is the place's own institution ("Glasgow Police"), opens the
    next sentence ("AUSTIN, Texas A ..."), or follows a possessive ("Toronto's Pearson")."""
    after = cand.word_after.lower()
    if (
        after
        and after not in WORDS.place_suffixes
        and after not in WORDS.institution_heads
        and after not in WORDS.sentence_words
        and text[cand.end : cand.end + 2] not in ("'s", "’s")
        and not region_cue
    ):
        return True
    before = cand.word_before.lower()
    return bool(before) and before not in WORDS.directions


def looks_like_person(
    text: str, toks: list[Token], cand: Candidate, known: Callable[[str], bool]
) -> bool:
    """'Chad Wolf', 'Georgia Meloni', 'President Jordan': a first name, not a place.
    `known` says whether a folded word names something itself ("Chad Niger" is no person)."""
    if cand.key not in WORDS.first_name_places:
        return False
    if previous_word(text, cand.start) in WORDS.titles:
        return True
    nxt = next_token(toks, cand)
    return (
        nxt is not None
        and nxt.capitalised
        and nxt.start - cand.end <= 1
        and not known(fold_name(nxt.text))
        and nxt.text.lower() not in WORDS.particles
    )


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


def _pairs(run: list[int]) -> list[int]:
    """Every token followed by another token of its name run."""
    pairs: list[int] = []
    start, count = 0, len(run)
    while start < count:
        pairs += range(start, start + run[start] - 1)
        start += run[start]
    return pairs


def name_parts(
    toks: list[Token],
    run: list[int],
    found: list[Candidate],
    initial: list[bool],
    title_end: int = 0,
) -> set[str]:
    """Capitalised word pairs that are no known name: most are people ("Sergio Massa").
    Not in the title (before `title_end`), which capitalises every word ("Plan Commits
    Canberra")."""
    position = 0
    spans = sorted((c.start, c.end) for c in found)  # names the matcher found, in order
    parts: set[str] = set()
    for i in _pairs(run):
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
        if (
            low_second in WORDS.place_suffixes
            or low_first in WORDS.directions
            or low_first in WORDS.titles
        ):
            continue
        if initial[i] or first.start < title_end:
            continue  # "Retaking Timbuktu": the first word is capitalised by the sentence
        parts.update((first.text, second.text))
    return parts
