"""The member-facing query language, parsed without a database.

Words must all match (AND between them is accepted and changes nothing); "quoted phrases"
match in order; OR between two terms matches either; -word or NOT word excludes; prefix*
matches word starts; field:value and field:"two words" filter by a
facet (country:ML, region:"Sub-Saharan Africa", type:forecast, actor:"Ansar Dine", author:,
topic:, place:); from:2012-01 and to:2013-06 bound the publication date (a year, a month or a
day; both ends inclusive). Anything the parser cannot make sense of degrades to a plain search
for the words in it, and `ParsedQuery.note` says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from geopol.core.text import fold

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
FILTER_FIELDS = ("country", "region", "type", "topic", "actor", "author", "place")
DATE_FIELDS = ("from", "to")

TOKEN_RE = re.compile(r'-?[A-Za-z]+:"[^"]*"|-?"[^"]*"\*?|\S+')
FIELD_RE = re.compile(r'(-?)([A-Za-z]+):(?:"([^"]*)"|(\S+))$')
DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)


# Endings stripped to find a word's family: "intervene" and "intervention" share "interven".
FAMILY_ENDINGS = ("ations", "ation", "tions", "tion", "ions", "ion", "ing", "ed", "es", "e", "s")
MIN_FAMILY_BASE = 6


def family_base(word: str) -> str:
    """The start shared by a long word's derived forms ("interven" for "intervene" and
    "intervention"), which a stemmer keeps apart; empty when the word is too short for
    that to be safe."""
    lower = word.lower()
    if not lower.isalpha() or not lower.isascii():
        return ""
    for ending in FAMILY_ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= MIN_FAMILY_BASE:
            return lower[: -len(ending)]
    return ""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    prefix: bool = False
    negated: bool = False

    @property
    def family(self) -> str:
        """For a plain positive word, the base its derived forms share (also matched)."""
        if self.negated or self.prefix or len(self.words) != 1 or self.words[0][:1].isupper():
            return ""  # a capitalised word is taken for a name, and names are kept whole
        return family_base(self.words[0])

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    """Clauses are ANDed; the terms inside one clause are ORed."""

    clauses: list[list[Term]] = field(default_factory=list)
    note: str = ""
    filters: list[tuple[str, str]] = field(default_factory=list)  # (field, value as typed)
    dates: list[tuple[str, str]] = field(default_factory=list)  # ("from"/"to", as typed)
    date_from: dt.datetime | None = None
    date_to: dt.datetime | None = None  # exclusive: the end of the period named

    @property
    def is_empty(self) -> bool:
        """No word to match (filters alone may still select documents)."""
        return not any(not t.negated for clause in self.clauses for t in clause)

    def without_text(self) -> ParsedQuery:
        return ParsedQuery(
            note=self.note,
            filters=self.filters,
            dates=self.dates,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def positive_words(self) -> list[str]:
        return [w for clause in self.clauses for t in clause if not t.negated for w in t.words]


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD_RE.findall(text))


def _plain(text: str, note: str) -> ParsedQuery:
    """The words of `text`, all required; well-formed field:value filters still apply."""
    parsed = ParsedQuery(note=note)
    rest = []
    for token in text.split():
        if not (":" in token and '"' not in token and _field_token(token, parsed)):
            rest.append(token)
    parsed.note = note  # the degradation is the news
    words = _words(" ".join(rest))[:MAX_TERMS]
    parsed.clauses = [[Term((w,))] for w in words]
    return parsed


def parse_date(value: str, end: bool = False) -> dt.datetime | None:
    """2012, 2012-01 or 2012-01-15 as the start of that period in UTC, or with `end` the start
    of the next one; None when it is not such a date."""
    match = DATE_RE.match(value)
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        start = dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        return None
    if not end:
        return start
    try:
        if match[3]:
            return start + dt.timedelta(days=1)
        if match[2]:
            return start.replace(year=year + month // 12, month=month % 12 + 1)
        return start.replace(year=year + 1)
    except (ValueError, OverflowError):
        return None


def _field_token(raw: str, parsed: ParsedQuery) -> bool:
    """Take a field:value token into `parsed`; False when it is not one (then it is words)."""
    match = FIELD_RE.match(raw)
    if not match or match[2].lower() not in FILTER_FIELDS + DATE_FIELDS:
        return False
    negated, name, value = bool(match[1]), match[2].lower(), (match[3] or match[4] or "").strip()
    if not value:
        parsed.note = parsed.note or f"{name}: needs a value; it was ignored."
    elif negated:
        parsed.note = parsed.note or f"Excluding by {name}: is not supported; it was ignored."
    elif name in DATE_FIELDS:
        moment = parse_date(value, end=name == "to")
        if moment is None:
            parsed.note = parsed.note or (
                f"{name}:{value} is not a date (write 2012, 2012-01 or 2012-01-15); it was ignored."
            )
        else:
            if name == "from":
                parsed.date_from = moment
            else:
                parsed.date_to = moment
            parsed.dates = [d for d in parsed.dates if d[0] != name] + [(name, value)]
    else:
        parsed.filters.append((name, value))
    return True


def parse_query(text: str) -> ParsedQuery:
    note = ""
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        note = f"Your search was cut to its first {MAX_QUERY_CHARS} characters."
    if text.count('"') % 2:
        return _plain(text, "An unmatched quote was ignored; searched for the words instead.")

    clauses: list[list[Term]] = []
    parsed = ParsedQuery(clauses=clauses, note=note)
    pending_or = pending_not = False
    for raw in TOKEN_RE.findall(text):
        if ":" in raw and _field_token(raw, parsed):
            pending_or = pending_not = False
            continue
        if raw == "AND" and clauses and not pending_or:
            continue  # the default operator
        if raw == "NOT" and not pending_not:
            pending_not = True
            continue
        if raw == "OR":
            if not clauses or pending_or:
                return _plain(re.sub(r"(?<!\S)OR(?!\S)", " ", text), "A lone OR was ignored.")
            pending_or = True
            continue
        dashed = raw.startswith("-") and len(raw) > 1
        negated, pending_not = dashed or pending_not, False
        body = raw[1:] if dashed else raw
        prefix = body.endswith("*") and not body.startswith('"')
        if body.startswith('"'):
            words = _words(body.rstrip("*").strip('"'))
        else:
            words = _words(body.rstrip("*"))
            if len(words) > 1:  # "al-Qaeda" or "U.S." become phrases of their parts
                prefix = False
        if not words:
            continue
        term = Term(words=words, prefix=prefix and len(words) == 1, negated=negated)
        if pending_or and not negated and not clauses[-1][0].negated:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        pending_or = False
        if len(clauses) >= MAX_TERMS:
            parsed.note = parsed.note or f"Only the first {MAX_TERMS} terms were used."
            break
    if pending_or:
        parsed.note = parsed.note or "A trailing OR was ignored."
    if pending_not:
        parsed.note = parsed.note or "A trailing NOT was ignored."
    if parsed.is_empty and clauses:
        empty = parsed.without_text()
        empty.note = "A search needs at least one word that is not excluded."
        return empty
    return parsed


def _fts5_term(term: Term, families: Mapping[str, Sequence[str]] | None) -> str:
    quoted = " ".join(word.replace('"', "") for word in term.words)
    if term.family:
        # the base itself as a prefix, or, when the backend looked them up, just the other
        # indexed forms of the family (none: the word alone)
        others = [term.family] if families is None else families.get(term.family, ())
        if others:
            alternatives = " OR ".join(f'"{t}"*' for t in others)
            return f'("{quoted}" OR {alternatives})'
    return f'"{quoted}"' + ("*" if term.prefix else "")


def to_fts5(parsed: ParsedQuery, families: Mapping[str, Sequence[str]] | None = None) -> str:
    """An FTS5 MATCH expression; every word is quoted, so FTS5 syntax in input is inert.
    `families` maps a word family's base to the indexed forms to add (see Term.family)."""
    positives, negatives = [], []
    for clause in parsed.clauses:
        if clause[0].negated:
            negatives.append(_fts5_term(clause[0], families))
        elif len(clause) == 1:
            positives.append(_fts5_term(clause[0], families))
        else:
            positives.append("(" + " OR ".join(_fts5_term(t, families) for t in clause) + ")")
    expression = " AND ".join(positives)
    for negative in negatives:
        expression = f"({expression}) NOT {negative}"
    return expression


def title_key(text: str) -> str:
    """A title reduced to its folded words, so "Mali: A Prelude" equals the query "mali a
    prelude" (an exact title match)."""
    return " ".join(fold(w) for w in WORD_RE.findall(text))


def exact_title_key(parsed: ParsedQuery) -> str:
    """The title a query names exactly, when it is just words and phrases in order (no OR,
    prefix or exclusion); else the empty string."""
    words: list[str] = []
    for clause in parsed.clauses:
        if len(clause) != 1 or clause[0].negated or clause[0].prefix:
            return ""
        words.extend(clause[0].words)
    return " ".join(fold(w) for w in words)


def title_phrase(parsed: ParsedQuery) -> tuple[str, ...]:
    """The positive words of a query in order: documents whose title holds them as a phrase
    are always ranked, however many others match."""
    return tuple(
        w
        for clause in parsed.clauses
        if len(clause) == 1 and not clause[0].negated
        for w in clause[0].words
    )
