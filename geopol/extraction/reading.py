"""Pass 1 of the geoparser, candidates: the text read once into what the later passes ask
about it (tokens, candidate names, sentence starts, words it writes in lower case, person-name
spans). Pure, like the rest of the pipeline."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from geopol.extraction.actors import ActorIndex
from geopol.extraction.matching import (
    Candidate,
    MatchTables,
    Token,
    candidates,
    match_tables,
    name_tokens,
    sentence_initial_flags,
)
from geopol.extraction.rules import WORDS
from geopol.geo.gazetteer import Gazetteer, fold_name

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

    def in_person_name(self, cand: Candidate) -> bool:
        return any(start <= cand.start and cand.end <= end for start, end in self.person_spans)


def read_document(text: str, gazetteer: Gazetteer, actors: ActorIndex, title: str) -> Document:
    """Tokens, candidates and the facts about the text the later passes need."""
    full = f"{title}\n\n{text}" if title else text
    toks, run = name_tokens(full)
    initial = sentence_initial_flags(full, toks)
    found = candidates(full, toks, gazetteer, actors, run, initial)
    facts = TextFacts.of(full, toks, initial)
    facts.name_parts = name_parts(toks, run, found, initial)
    tables = match_tables(gazetteer, actors)
    facts.admin1_codes = {
        code for c in found if "place" in c.kinds for code in tables.admin1(c.key)
    }
    shift = len(title) + 2 if title else 0
    return Document(full, len(title), shift, toks, found, facts, tables, gazetteer, actors)


def previous_word(text: str, start: int) -> str:
    match = PREVIOUS_WORD_RE.search(text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def next_token(toks: list[Token], candidate: Candidate) -> Token | None:
    for token in toks[candidate.first_token :]:
        if token.start >= candidate.end:
            return token
    return None


def inside_longer_name(cand: Candidate, region_cue: bool) -> bool:
    """True when capitalised words around a one-word place make it part of another name."""
    after = cand.word_after.lower()
    if after and after not in WORDS.place_suffixes and not region_cue:
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
    toks: list[Token], run: list[int], found: list[Candidate], initial: list[bool]
) -> set[str]:
    """Capitalised word pairs that are no known name: most are people ("Sergio Massa")."""
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
        if initial[i]:
            continue  # "Retaking Timbuktu": the first word is capitalised by the sentence
        parts.update((first.text, second.text))
    return parts
