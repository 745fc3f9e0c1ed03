"""Brier scores and calibration of resolved forecasts. Pure: no ORM.

A forecast is a probability p that its judgment comes true and an outcome o (1 true, 0 false;
annulled judgments are not scored). Brier = mean (p - o)^2: 0 is perfect, 0.25 is what always
saying 50% earns, 1 is certain and wrong every time. Calibration groups forecasts into equal
probability bins and compares each bin's mean probability with how often its judgments came
true; a calibrated forecaster's points lie on the diagonal. Constants: data/scoring.json.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "scoring.json"


@functools.cache
def constants() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Forecast:
    probability: float
    came_true: bool


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    mean_probability: float | None  # None when the bin is empty
    observed: float | None  # share of its judgments that came true

    @property
    def label(self) -> str:
        return f"{self.low * 100:.0f}–{self.high * 100:.0f}%"


@dataclass(frozen=True)
class Score:
    key: str
    label: str
    count: int
    brier: float | None
    bins: tuple[Bin, ...]

    @property
    def brier_label(self) -> str:
        """Two decimals, as the scorecard shows it."""
        return "–" if self.brier is None else f"{self.brier:.2f}"


def brier(forecasts: Iterable[Forecast]) -> float | None:
    """Mean squared difference between probability and outcome; None with no forecast."""
    squares = [(f.probability - (1.0 if f.came_true else 0.0)) ** 2 for f in forecasts]
    return sum(squares) / len(squares) if squares else None


def bin_index(probability: float, bins: int) -> int:
    """Which of `bins` equal bins holds `probability` (1.0 goes in the last)."""
    return min(int(probability * bins + 1e-9), bins - 1)


def calibration(forecasts: Iterable[Forecast], bins: int | None = None) -> tuple[Bin, ...]:
    """Every bin, empty ones included, with its count, mean probability and observed rate."""
    bins = bins or int(constants()["bins"])
    members: list[list[Forecast]] = [[] for _ in range(bins)]
    for forecast in forecasts:
        members[bin_index(forecast.probability, bins)].append(forecast)
    result = []
    for index, group in enumerate(members):
        count = len(group)
        result.append(
            Bin(
                low=index / bins,
                high=(index + 1) / bins,
                count=count,
                mean_probability=sum(f.probability for f in group) / count if count else None,
                observed=sum(f.came_true for f in group) / count if count else None,
            )
        )
    return tuple(result)


def score(key: str, label: str, forecasts: list[Forecast]) -> Score:
    return Score(key, label, len(forecasts), brier(forecasts), calibration(forecasts))


def score_groups(items: Iterable[tuple[str, str, Forecast]]) -> list[Score]:
    """One Score per group key from (key, label, forecast) rows (a forecast may sit in many
    groups), best (lowest) Brier first, then most forecasts."""
    groups: dict[str, list[Forecast]] = defaultdict(list)
    labels: dict[str, str] = {}
    for key, label, forecast in items:
        groups[key].append(forecast)
        labels[key] = label
    scores = [score(key, labels[key], forecasts) for key, forecasts in groups.items()]
    return sorted(scores, key=lambda s: (s.brier if s.brier is not None else 9, -s.count, s.label))
