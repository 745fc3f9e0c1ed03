"""The member-facing query language, parsed without a database.

Words must all match; "quoted phrases" match in order; OR between two terms matches either;
-word excludes; prefix* matches word starts. Anything the parser cannot make sense of degrades
to a plain search for the words in it, and `ParsedQuery.note` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_TERMS = 32

TOKEN_RE = re.compile(r'-?"[^"]*"\*?|\S+')
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    prefix: bool = False
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    """Clauses are ANDed; the terms inside one clause are ORed."""

    clauses: list[list[Term]] = field(default_factory=list)
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(not t.negated for clause in self.clauses for t in clause)

    def positive_words(self) -> list[str]:
        return [w for clause in self.clauses for t in clause if not t.negated for w in t.words]


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD_RE.findall(text))


def _plain(text: str, note: str) -> ParsedQuery:
    words = _words(text)[:MAX_TERMS]
    return ParsedQuery(clauses=[[Term((w,))] for w in words], note=note)


def parse_query(text: str) -> ParsedQuery:
    note = ""
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        note = f"Your search was cut to its first {MAX_QUERY_CHARS} characters."
    if text.count('"') % 2:
        return _plain(text, "An unmatched quote was ignored; searched for the words instead.")

    clauses: list[list[Term]] = []
    pending_or = False
    for raw in TOKEN_RE.findall(text):
        if raw == "OR":
            if not clauses or pending_or:
                return _plain(re.sub(r"(?<!\S)OR(?!\S)", " ", text), "A lone OR was ignored.")
            pending_or = True
            continue
        negated = raw.startswith("-") and len(raw) > 1
        body = raw[1:] if negated else raw
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
            note = note or f"Only the first {MAX_TERMS} terms were used."
            break
    if pending_or:
        note = note or "A trailing OR was ignored."
    parsed = ParsedQuery(clauses=clauses, note=note)
    if parsed.is_empty and clauses:
        return ParsedQuery(note="A search needs at least one word that is not excluded.")
    return parsed


def _fts5_term(term: Term) -> str:
    quoted = " ".join(word.replace('"', "") for word in term.words)
    return f'"{quoted}"' + ("*" if term.prefix else "")


def to_fts5(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression; every word is quoted, so FTS5 syntax in input is inert."""
    positives, negatives = [], []
    for clause in parsed.clauses:
        if clause[0].negated:
            negatives.append(_fts5_term(clause[0]))
        elif len(clause) == 1:
            positives.append(_fts5_term(clause[0]))
        else:
            positives.append("(" + " OR ".join(_fts5_term(t) for t in clause) + ")")
    expression = " AND ".join(positives)
    for negative in negatives:
        expression = f"({expression}) NOT {negative}"
    return expression
