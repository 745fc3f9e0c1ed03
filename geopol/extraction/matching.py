"""Finding known names in text: the matcher of the geoparsing pipeline. Pure, like it.

1. `name_tokens`: the words of every name-shaped run the regex engine finds, with offsets;
   hyphens split words ("al-Shabaab" -> al, Shabaab).
2. `candidates`: at every token that can start a name, the longest run of tokens whose folded
   form is a known actor alias, acronym, country name or demonym, feature, region or city
   (leftmost-longest, so "Democratic Republic of the Congo" beats "Congo").

Deciding what each candidate is belongs to `pipeline`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from geopol.extraction.actors import ActorIndex
from geopol.extraction.rules import WORDS
from geopol.geo.gazetteer import Gazetteer, fold_name

PARTICLES = WORDS.particles  # data/geoparse_words.yaml
MAX_SPAN = 10


class Token(NamedTuple):  # a tuple: built ~50 times per kilobyte of text, so cheap to make
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@dataclass
class Candidate:
    start: int  # character offsets in the text
    end: int
    text: str
    key: str
    first_token: int
    sentence_initial: bool
    kinds: set[str] = field(default_factory=set)  # actor, country, demonym, place
    counted: bool = False  # already counted as evidence for its country
    # capitalised words right before and after it in the same name run ("Viktor [Orban]")
    word_before: str = ""
    word_after: str = ""


UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
# a capitalised word, or one after an elided French or Italian article ("Côte d’Ivoire",
# "Coeur d'Alene", "Sant'Angelo" keeps its capital)
_CAP = rf"(?:(?:[A-Z]\.){{2,}}|(?:[dl]['’])?[{UPPER}][\w'’]*)"
_SEP = r"[\s\-‐–]+"


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, written as a trie ("a(?:l|n|s(?:h)?)...") so the
    engine tests a few letters where a flat alternation would try every word in turn."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(trie) + ")"


_PART = alternation(PARTICLES)
# A run of name-shaped words: capitalised words, with particles inside or in front
# ("al Qaeda in the Islamic Maghreb", "Strait of Hormuz"). Found by the regex engine, so the
# Python loop only ever sees the few percent of a text that could be a name.
# The two groups hold leading particles and further words: a run with neither is one word.
NAME_RUN_RE = re.compile(
    rf"(?<![\w'’])((?:{_PART}{_SEP})+)?{_CAP}((?:{_SEP}(?:{_PART}{_SEP})*{_CAP})+)?(?![\w])"
)
RUN_WORD_RE = re.compile(r"[^\s\-‐–]+")
ELIDED_RE = re.compile(rf"[dl]['’][{UPPER}]")
LOWER_NEXT_RE = re.compile(r"[ \t\-]+[a-z]")
TAIL_WORD_RE = re.compile(r"[\w'’.]+")
# the first two TAIL_WORD_RE words, when only separators stand between them (possessive
# quantifiers: never a shorter first word)
TAIL_PAIR_RE = re.compile(r"([\w'’.]++)[\s\-‐–]*+([\w'’.]+)")


def name_tokens(text: str) -> tuple[list[Token], list[int]]:
    """The tokens of every name-shaped run, and for each token how many tokens of its run
    start at or after it."""
    found: list[Token] = []
    remaining: list[int] = []
    append = found.append
    token = _new_token
    for run in NAME_RUN_RE.finditer(text):
        if run.lastindex is None:  # one word, the common case
            word, start, end = run.group(), run.start(), run.end()
            if word[-2:] in POSSESSIVES and len(word) > 2:
                append(token((word[:-2], start, end - 2)))
            else:
                append(token((word, start, end)))
            remaining.append(1)
            continue
        size = len(found)
        # searched within the text itself, so the offsets need no arithmetic
        for match in RUN_WORD_RE.finditer(text, run.start(), run.end()):
            word = match.group()
            if word[-2:] in POSSESSIVES and len(word) > 2:  # possessive: "Mali's"
                append(token((word[:-2], match.start(), match.end() - 2)))
            else:
                append(token((word, match.start(), match.end())))
        remaining.extend(range(len(found) - size, 0, -1))
    return found, remaining


# Token((text, start, end)) without the Python-level __new__ of a NamedTuple: a third of
# the cost, for the ~50 tokens of every kilobyte of text
_new_token = functools.partial(tuple.__new__, Token)
POSSESSIVES = frozenset(("'s", "’s"))
SENTENCE_PUNCTUATION = frozenset('.!?:;"“”')


def sentence_initial_flags(text: str, toks: list[Token]) -> list[bool]:
    """For each token, whether it opens a sentence: it opens the text or a line, or follows
    sentence punctuation (up to three characters back, spaces aside)."""
    flags: list[bool] = []
    append = flags.append
    for _, start, _ in toks:
        before = text[start - 3 : start] if start > 3 else text[:start]
        last = before.rstrip()[-1:]
        append(not last or last in SENTENCE_PUNCTUATION or "\n" in before)
    return flags


SEPARATOR_RE = re.compile(r"[\s\-‐–]*")


ACRONYM, ACTOR, COUNTRY, DEMONYM, PLACE = 1, 2, 4, 8, 16
KIND_BITS = {"acronym": ACRONYM, "actor": ACTOR, "country": COUNTRY, "demonym": DEMONYM}
KIND_NAMES = tuple(
    frozenset(
        name
        for name, bit in (*KIND_BITS.items(), ("place", PLACE))
        if mask & bit  # the set a candidate carries for each combination of bits
    )
    for mask in range(32)
)


class WordInfo(NamedTuple):
    """What the matcher needs to know about one token's text, given the tables."""

    folded: str
    capital: bool  # capitalised or a digit
    particle: bool  # "of", "al", "de"...
    longest: int  # most words of a known name or acronym starting here; 0: none can
    tail: int  # most words of an actor alias that goes on in lower case ("Haqqani network")


@dataclass
class MatchTables:
    """The matcher's view of one gazetteer and one actor registry, merged so that each step
    of the candidate loop is one dictionary lookup instead of five."""

    gazetteer: Gazetteer
    actors: ActorIndex
    first_words: dict[str, int]  # folded first word -> most words a name starting with it has
    kinds: dict[str, int]  # folded name -> kind bits, for every table but the GeoNames cities
    alias_prefixes: frozenset[str]  # every leading run of words of an actor alias
    city_names: dict[str, int]  # the GeoNames index's names
    # remembered across texts, since names repeat from one text to the next:
    words: dict[str, WordInfo] = field(default_factory=dict)  # token text -> WordInfo
    runs: dict[str, tuple[Slot, ...]] = field(default_factory=dict)  # name run -> its slots
    admin1_by_key: dict[str, tuple[str, ...]] = field(default_factory=dict)
    big_city_by_key: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, gazetteer: Gazetteer, actors: ActorIndex) -> MatchTables:
        first_words = dict(gazetteer.first_words)
        for word, n in actors.first_words.items():
            if n > first_words.get(word, 0):
                first_words[word] = n
        kinds: dict[str, int] = {}
        for table, bit in (
            (actors.aliases, ACTOR),
            (gazetteer.countries.names, COUNTRY),
            (gazetteer.countries.demonyms, DEMONYM),
            (gazetteer.features, PLACE),
            (gazetteer.extra, PLACE),
            (gazetteer.admin1, PLACE),
        ):
            for key in table:
                kinds[key] = kinds.get(key, 0) | bit
        prefixes: set[str] = set()
        for key in actors.aliases:
            words = key.split(" ")
            prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
        return cls(
            gazetteer, actors, first_words, kinds, frozenset(prefixes), gazetteer.cities.names
        )

    def admin1(self, key: str) -> tuple[str, ...]:
        """The ISO 3166-2 codes of the regions a folded name may be."""
        found = self.admin1_by_key.get(key)
        if found is None:
            if len(self.admin1_by_key) > 200_000:
                self.admin1_by_key.clear()  # bounded, like the other memories here
            places = self.gazetteer.places(key)
            found = self.admin1_by_key[key] = tuple(p.admin1 for p in places if p.kind == "admin1")
        return found

    def big_city_country(self, key: str) -> str:
        """The country of the cities of 50,000 people or more a name may be, when they all
        lie in one country; else ""."""
        found = self.big_city_by_key.get(key)
        if found is None:
            if len(self.big_city_by_key) > 200_000:
                self.big_city_by_key.clear()
            places = self.gazetteer.places(key)
            big = {p.country for p in places if p.population >= 50_000 and p.country}
            found = self.big_city_by_key[key] = big.pop() if len(big) == 1 else ""
        return found

    def word(self, text: str) -> WordInfo:
        info = self.words.get(text)
        if info is None:
            if len(self.words) > 200_000:
                self.words.clear()  # bounded: a few tens of megabytes at most
            folded = fold_name(text)
            capital = text[:1].isupper() or text[:1].isdigit() or ELIDED_RE.match(text) is not None
            particle = folded in PARTICLES
            longest = max(
                self.first_words.get(folded, 0), self.actors.acronym_first_words.get(text, 0)
            )
            info = self.words[text] = WordInfo(
                folded,
                capital,
                particle,
                longest if capital or particle else 0,
                self.actors.tail_lengths.get(folded, 0) if capital else 0,
            )
        return info


def match_tables(gazetteer: Gazetteer, actors: ActorIndex) -> MatchTables:
    """The merged tables, built once per gazetteer and registry (`add_places` drops them)."""
    cached = gazetteer.__dict__.get("_match_tables")
    if cached is None or cached.actors is not actors:
        cached = gazetteer.__dict__["_match_tables"] = MatchTables.build(gazetteer, actors)
    return cached  # type: ignore[no-any-return]


class Slot(NamedTuple):
    """The longest known name starting at one token of a name run. It depends on nothing but
    the run's text, so it is worked out once per distinct run ("the United Nations")."""

    words: int  # 0: no name starts here
    mask: int  # kind bits
    key: str
    surface: str
    before: str  # the capitalised word before it in the run, if any ("Viktor [Orban]")
    after: str  # the capitalised word after it in the run, if any
    tail: int  # most words of an actor alias going on in lower case (WordInfo.tail)


NO_NAME = Slot(0, 0, "", "", "", "", 0)


def _run_slots(
    text: str, toks: list[Token], first: int, size: int, tables: MatchTables
) -> tuple[Slot, ...]:
    """The slots of the name run of `size` tokens starting at token `first`."""
    known = tables.kinds
    city_names = tables.city_names
    acronyms = tables.actors.acronyms
    cache = tables.words
    run_toks = toks[first : first + size]
    words = [cache.get(t.text) or tables.word(t.text) for t in run_toks]
    # shaped_until[i]: the first word at or after i that is neither capitalised nor a
    # particle (name runs hardly ever hold one)
    shaped_until = [size] * (size + 1)
    for j in range(size - 1, -1, -1):
        shaped_until[j] = shaped_until[j + 1] if words[j].capital or words[j].particle else j
    slots = []
    for i, info in enumerate(words):
        slot = NO_NAME if not info.tail else Slot(0, 0, "", "", "", "", info.tail)
        start = run_toks[i].start
        for n in range(min(info.longest, size - i, MAX_SPAN), 0, -1):
            last = i + n - 1
            surface = text[start : run_toks[last].end]
            mask = ACRONYM if surface in acronyms else 0
            # a name: capitalised at its end, and every word capitalised or, inside a longer
            # name, a particle ("Strait of Hormuz")
            if words[last].capital and (n == 1 or shaped_until[i] > last):
                key = " ".join([w.folded for w in words[i : last + 1]]) if n > 1 else info.folded
                mask |= known.get(key, 0)
                if not mask & PLACE and key in city_names:
                    mask |= PLACE
            else:
                key = surface
            if mask:
                before = words[i - 1] if i > 0 else None
                slot = Slot(
                    n,
                    mask,
                    key,
                    surface,
                    run_toks[i - 1].text
                    if before is not None and before.capital and not before.particle
                    else "",
                    run_toks[i + n].text if size - i > n and words[i + n].capital else "",
                    info.tail,
                )
                break
        slots.append(slot)
    return tuple(slots)


def candidates(
    text: str,
    toks: list[Token],
    gazetteer: Gazetteer,
    actors: ActorIndex,
    run: list[int],
    initial: list[bool] | None = None,
) -> list[Candidate]:
    """Leftmost-longest known names. Only tokens that begin some known name are tried, and
    only up to the longest name beginning with them, which keeps this linear in practice.
    `run[i]`: how many tokens of token i's name run start at or after it (name_tokens);
    `initial[i]`: whether token i opens a sentence (sentence_initial_flags)."""
    if initial is None:
        initial = sentence_initial_flags(text, toks)
    found: list[Candidate] = []
    tables = match_tables(gazetteer, actors)
    runs = tables.runs
    count = len(toks)
    resume = 0  # the first token not inside the last match
    first = 0  # the first token of the current name run
    while first < count:
        size = run[first]
        end = first + size
        if resume >= end:
            first = end
            continue
        run_text = text[toks[first].start : toks[end - 1].end]
        slots = runs.get(run_text)
        if slots is None:
            if len(runs) > 100_000:
                runs.clear()  # bounded: a few tens of megabytes at most
            slots = runs[run_text] = _run_slots(text, toks, first, size, tables)
        resume = _match_run(text, toks, slots, first, max(first, resume), tables, initial, found)
        first = end
    return found


def _match_run(
    text: str,
    toks: list[Token],
    slots: tuple[Slot, ...],
    first: int,
    i: int,
    tables: MatchTables,
    initial: list[bool],
    found: list[Candidate],
) -> int:
    """Append the candidates of one name run from token `i` on; return the first token not
    inside the last match."""
    end = first + len(slots)
    count = len(toks)
    resume = i
    lower_next = None  # a lowercase tail can only go on after the run ("Haqqani network")
    while i < end:
        slot = slots[i - first]
        best = _slot_candidate(toks, slot, i, initial)
        # only when the alias is longer than what is left of this run of capitalised words
        if slot.tail > end - i:
            if lower_next is None:
                lower_next = bool(LOWER_NEXT_RE.match(text, toks[end - 1].end))
            tail = (
                _lowercase_tail(text, toks[i], tables, initial[i], slot.tail)
                if lower_next
                else None
            )
            if tail is not None and (best is None or tail.end > best.end):
                best = tail
        if best is None or _outrun(toks, slots, first, i, best, initial):
            i += 1
            continue
        found.append(best)
        # go on from the first name token after the match (a lowercase tail such as
        # "Haqqani network" covers words that are not name tokens at all)
        resume = i + 1
        while resume < count and toks[resume].start < best.end:
            resume += 1
        i = resume
    return resume


def _outrun(
    toks: list[Token],
    slots: tuple[Slot, ...],
    first: int,
    i: int,
    best: Candidate,
    initial: list[bool],
) -> bool:
    """Whether a name opening with an article ("the Islamic State") gives way to a longer
    one that starts at its next word and goes on past it ("the Islamic State Khorasan
    Province", "the Islamic State Sahel Province"): leftmost-longest would keep the first."""
    if toks[i].text not in ("the", "The") or i + 1 - first >= len(slots):
        return False
    after = _slot_candidate(toks, slots[i + 1 - first], i + 1, initial)
    return after is not None and after.end > best.end


def _slot_candidate(toks: list[Token], slot: Slot, i: int, initial: list[bool]) -> Candidate | None:
    if not slot.words:
        return None
    best = Candidate(
        toks[i].start,
        toks[i + slot.words - 1].end,
        slot.surface,
        slot.key,
        i,
        initial[i],
        set(KIND_NAMES[slot.mask]),
    )
    if slot.before and not initial[i - 1]:
        best.word_before = slot.before
    best.word_after = slot.after
    return best


def _lowercase_tail(
    text: str, token: Token, tables: MatchTables, initial: bool, longest: int
) -> Candidate | None:
    """An actor alias of up to `longest` words whose later words are written in lower case:
    "Haqqani network"."""
    aliases = tables.actors.aliases
    prefixes = tables.alias_prefixes
    seen = tables.words
    # most calls end at the second word ("The government"): one regex call tells
    first_two = TAIL_PAIR_RE.match(text, token.start, token.start + 160)
    if first_two is None:
        return None
    first, second = first_two.groups()
    pair = (seen.get(first) or tables.word(first)).folded
    pair += " " + (seen.get(second) or tables.word(second)).folded
    if pair not in prefixes:
        return None
    key = ""
    previous_end = -1
    best: tuple[str, int] | None = None  # the longest alias of two words or more
    matches = TAIL_WORD_RE.finditer(text, token.start, token.start + 160)
    for words, match in enumerate(matches, 1):
        if words > 1 and not SEPARATOR_RE.fullmatch(text, previous_end, match.start()):
            break
        part = (seen.get(match.group()) or tables.word(match.group())).folded
        key = f"{key} {part}" if words > 1 else part
        if key not in prefixes:
            break  # no alias goes on from here
        previous_end = match.end()
        if words > 1 and key in aliases:
            best = (key, previous_end)
        if words == longest:
            break
    if best is None:
        return None
    key, end = best
    return Candidate(token.start, end, text[token.start : end], key, 0, initial, {"actor"})
