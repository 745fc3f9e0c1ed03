"""The estimative vocabulary of ICD 203: likelihood terms with their probability bands, and
confidence levels. Pure; the terms live in data/estimative.json (documented there).

Shared by the importers (which check a `judgments` key), the forecasts app (which stores and
scores judgments) and the tradecraft linter, so it sits in core.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "estimative.json"


@dataclass(frozen=True)
class Term:
    key: str  # "very likely": what an import writes
    low: float
    high: float
    alternative: str  # the same band in ICD 203's second set of words ("highly probable")

    @property
    def midpoint(self) -> float:
        return round((self.low + self.high) / 2, 4)

    @property
    def band_label(self) -> str:
        """The band as printed, e.g. 80-95% (with an en dash)."""
        return f"{self.low * 100:.0f}–{self.high * 100:.0f}%"

    def contains(self, probability: float) -> bool:
        """Whether a probability lies inside the band (its edges included)."""
        return self.low - 1e-9 <= probability <= self.high + 1e-9


@functools.cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@functools.cache
def terms() -> tuple[Term, ...]:
    """The seven terms, least likely first."""
    return tuple(
        Term(t["key"], float(t["band"][0]), float(t["band"][1]), t["alternative"])
        for t in _data()["terms"]
    )


def term_keys() -> tuple[str, ...]:
    return tuple(t.key for t in terms())


def confidence_levels() -> tuple[str, ...]:
    """low, moderate, high."""
    return tuple(_data()["confidence"])


def term(key: str) -> Term | None:
    """The term named by `key` (case and spacing forgiven), or None."""
    wanted = " ".join(key.casefold().replace("_", " ").replace("-", " ").split())
    return next((t for t in terms() if t.key == wanted), None)


def terms_for(probability: float) -> list[Term]:
    """The terms whose band holds `probability` (two on a shared edge)."""
    return [t for t in terms() if t.contains(probability)]


def band_problem(key: str, probability: float) -> str | None:
    """Why `probability` does not fit term `key`, or None when it does."""
    found = term(key)
    if found is None:
        return f"{key!r} is not an ICD 203 term; use one of {', '.join(term_keys())}"
    if not 0.0 <= probability <= 1.0:
        return f"{probability} is not a probability between 0 and 1"
    if found.contains(probability):
        return None
    fits = [t.key for t in terms_for(probability)]
    hint = f" ({probability:.0%} is {' or '.join(fits)})" if fits else ""
    return f"{probability:.0%} is outside the band of {found.key!r}, {found.band_label}{hint}"
