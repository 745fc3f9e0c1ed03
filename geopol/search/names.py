"""Names a member may misspell or spell another way: places, countries, actors, persons.
Pure (no database): built from (variant, name) pairs that the apps provide, it answers
"which name did they mean" for a few words of a query: a variant spelled exactly
("Timbuctoo" for Timbuktu), or a close spelling of a name or variant ("Sevarre" for Sevare,
"Ansar Dyne" for Ansar Dine). The scores live in CLOSENESS below."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

from geopol.core.text import fold

# How close a misspelling must be to a name (difflib's ratio, 0..1), and the shortest text
# considered: below 5 letters too many names are one letter apart ("Mali", "Bali").
CLOSENESS = 0.8
MIN_LETTERS = 5


def name_key(text: str) -> str:
    """Folded, punctuation as spaces, one space apart: "Ansar-Dine" -> "ansar dine"."""
    return " ".join("".join(c if c.isalnum() else " " for c in fold(text)).split())


class NameIndex:
    """Variant spellings of names, folded, to the name as the archive writes it."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._names: dict[str, str] = {}
        for variant, name in pairs:
            key = name_key(variant)
            if key and name:
                self._names.setdefault(key, name)
        # candidates for close matching, by first letter (a misspelling rarely starts wrong,
        # and this keeps difflib's work to a few hundred strings)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for key in self._names:
            self._by_initial[key[0]].append(key)

    def __len__(self) -> int:
        return len(self._names)

    def exact(self, text: str) -> str:
        """The name `text` is a variant of, spelled exactly (case and accents aside)."""
        return self._names.get(name_key(text), "")

    def closest(self, text: str) -> str:
        """The name `text` is a variant or close misspelling of; empty when none is close."""
        key = name_key(text)
        if not key:
            return ""
        if found := self._names.get(key):
            return found
        if len(key.replace(" ", "")) < MIN_LETTERS:
            return ""
        close = difflib.get_close_matches(
            key, self._by_initial.get(key[0], []), n=1, cutoff=CLOSENESS
        )
        return self._names[close[0]] if close else ""
