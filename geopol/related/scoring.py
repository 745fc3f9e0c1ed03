"""How Connected Content scores a candidate and says why: pure rules, no database.

A candidate's evidence (`Evidence`) is what it shares with the article, as the reader may see
it: actors and persons, places, primary countries (each with its rarity over the archive, an
IDF), the same storyline, text similarity (the BM25 score of a "more like this" search,
relative to the best hit) and the distance in time. `score` adds them up with `WEIGHTS`;
`reason` puts the strongest of them into words ("Also about Ansar Dine and Konna · 1 day
later")."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# tuned on the relatedness set's 18 demo queries only (actor 1.0 -> 0.6, text 4.0 -> 8.0);
# its 33 piece queries are held out (docs/performance.md)
WEIGHTS = {
    "actor": 0.6,  # per shared actor or person, times its IDF
    "place": 0.7,  # per shared place, times its IDF
    "country": 0.4,  # per shared primary country, times its IDF
    "storyline": 6.0,  # the same storyline
    "text": 8.0,  # BM25 "more like this", relative to the article's own score
    "recency": 0.5,  # share of the score kept however far apart in time (the rest decays)
    "recency_days": 365.0,  # the decay's time constant
}
MAX_SHARED = 5  # the strongest shared entities of each kind that count


@dataclass(frozen=True)
class Shared:
    name: str
    idf: float


@dataclass
class Evidence:
    actors: list[Shared] = field(default_factory=list)
    places: list[Shared] = field(default_factory=list)
    countries: list[Shared] = field(default_factory=list)
    storyline: str = ""
    text: float = 0.0  # 0..1
    days: float = 0.0  # the candidate's date minus the article's, in days

    @property
    def empty(self) -> bool:
        return not (self.actors or self.places or self.countries or self.storyline or self.text)


def _strongest(items: list[Shared]) -> list[Shared]:
    return sorted(items, key=lambda s: (-s.idf, s.name))[:MAX_SHARED]


def score(evidence: Evidence, weights: dict[str, float] | None = None) -> float:
    w = WEIGHTS if weights is None else {**WEIGHTS, **weights}
    total = (
        w["actor"] * sum(s.idf for s in _strongest(evidence.actors))
        + w["place"] * sum(s.idf for s in _strongest(evidence.places))
        + w["country"] * sum(s.idf for s in _strongest(evidence.countries))
        + w["text"] * evidence.text
        + (w["storyline"] if evidence.storyline else 0.0)
    )
    decay = math.exp(-abs(evidence.days) / w["recency_days"])
    return total * (w["recency"] + (1 - w["recency"]) * decay)


def when(days: float) -> str:
    """The candidate's distance in time from the article: "same day", "3 weeks later"."""
    n = abs(days)
    side = "later" if days > 0 else "earlier"
    for unit, size, up_to in (("day", 1, 14), ("week", 7, 60), ("month", 30.44, 730)):
        if n < up_to:
            count = round(n / size)
            if unit == "day" and count == 0:
                return "same day"
            return f"{max(count, 1)} {unit}{'s' if count > 1 else ''} {side}"
    years = round(n / 365.25)
    return f"{years} year{'s' if years > 1 else ''} {side}"


def joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def reason(evidence: Evidence, max_names: int = 2) -> str:
    """What is shared, in words, and when: never a bare count."""
    named = [s.name for s in _strongest(evidence.actors + [_place(s) for s in evidence.places])]
    named = list(dict.fromkeys(named))[:max_names]
    if evidence.storyline:
        head = f"Same storyline: {evidence.storyline}"
    elif named:
        head = f"Also about {joined(named)}"
    elif evidence.countries:
        head = f"Also about {joined([s.name for s in _strongest(evidence.countries)][:max_names])}"
    else:
        head = "Similar in subject"
    return f"{head} · {when(evidence.days)}"


def _place(shared: Shared) -> Shared:
    # a place counts a little less than an actor when choosing what to name
    return Shared(shared.name, shared.idf * WEIGHTS["place"])


def idf(total: int, df: int) -> float:
    """Rarity of something `df` of `total` articles share (BM25's IDF, never below 0.1)."""
    return max(0.1, math.log(1 + (total - df + 0.5) / (df + 0.5)))
