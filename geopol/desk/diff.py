"""Word-level differences between two revisions of a text. Pure.

Words and punctuation are compared as tokens, whitespace kept with the word before it, so
a changed word shows as one word struck and one inserted, and a moved paragraph break shows
where it moved.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*\s*|[^\w\s]\s*|\s+")
MAX_TOKENS = 60_000  # ~10,000 words each side; beyond that the diff is by paragraph


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "added", "removed"
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def word_diff(old: str, new: str) -> list[Piece]:
    """`old` -> `new` as a run of same / removed / added pieces; joined, the same and
    removed pieces give `old` back and the same and added ones give `new`."""
    a, b = tokens(old), tokens(new)
    if len(a) + len(b) > MAX_TOKENS:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[Piece] = []

    def add(op: str, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Piece(op, out[-1].text + text)
        else:
            out.append(Piece(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", a[i1:i2])
        else:
            add("removed", a[i1:i2])
            add("added", b[j1:j2])
    return out


def counts(pieces: list[Piece]) -> tuple[int, int]:
    """(words added, words removed)."""
    added = sum(len(p.text.split()) for p in pieces if p.op == "added")
    removed = sum(len(p.text.split()) for p in pieces if p.op == "removed")
    return added, removed
