"""The `judgments` key of front matter and JSON Lines (docs/formats.md): key judgments with an
ICD 203 likelihood term, a probability inside its band, a confidence level, a resolve-by date
and resolution criteria. Pure; the forecasts app stores what this reads.

Each error names the judgment and its field (`judgments[2].likelihood`) and what to write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from geopol.articles.importers.base import InputError, _string_list
from geopol.core import estimative

OUTCOMES = ("true", "false", "annulled")
MAX_JUDGMENTS = 50  # per article; a key-judgments box holds a handful
MAX_STATEMENT = 1000  # characters
KEYS = {
    "statement",
    "likelihood",
    "probability",
    "confidence",
    "resolves_by",
    "criteria",
    "countries",
    "actors",
    "resolution",
}


@dataclass
class ResolutionData:
    outcome: str  # true, false or annulled
    note: str = ""
    link: str = ""
    resolved_on: dt.date | None = None


@dataclass
class JudgmentData:
    statement: str
    likelihood: str  # an ICD 203 term key
    probability: float | None = None  # None: the band's midpoint is used
    confidence: str = ""  # low, moderate, high, or not given
    resolves_by: dt.date | None = None
    criteria: str = ""
    countries: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    resolution: ResolutionData | None = None


def _text(entry: dict[str, Any], key: str, where: str, limit: int = 4000) -> str:
    value = entry.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}.{key} must be text")
    value = " ".join(value.split())
    if len(value) > limit:
        raise InputError(f"{where}.{key} is over {limit} characters; shorten it")
    return value


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):  # YAML reads 2013-06-30 as a date
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{where}: {value!r} is not an ISO date; write YYYY-MM-DD") from None


def _probability(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}.probability must be a number between 0 and 1, e.g. 0.7")
    if not 0 <= value <= 1:
        hint = f" (write {value / 100:g} for {value:g}%)" if 1 < value <= 100 else ""
        raise InputError(f"{where}.probability {value:g} is not between 0 and 1{hint}")
    return float(value)


def _resolution(value: Any, where: str) -> ResolutionData | None:
    if value is None:
        return None
    if isinstance(value, str | bool):
        value = {"outcome": value}
    if not isinstance(value, dict):
        raise InputError(f"{where} must be an object with 'outcome' (true, false or annulled)")
    outcome = value.get("outcome")
    outcome = str(outcome).lower() if isinstance(outcome, bool | str) else outcome
    if outcome not in OUTCOMES:
        raise InputError(f"{where}.outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    return ResolutionData(
        outcome=outcome,
        note=_text(value, "note", where),
        link=_text(value, "link", where, limit=500),
        resolved_on=_date(value.get("resolved_on"), f"{where}.resolved_on"),
    )


def parse_judgment(entry: Any, number: int) -> JudgmentData:
    where = f"judgments[{number}]"
    if not isinstance(entry, dict):
        raise InputError(f"{where} must be an object with 'statement' and 'likelihood'")
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        raise InputError(f"{where}: unknown field {unknown[0]!r}; known: {', '.join(sorted(KEYS))}")
    statement = _text(entry, "statement", where, limit=MAX_STATEMENT)
    if not statement:
        raise InputError(f"{where}.statement is missing: write the judgment as one sentence")
    likelihood = entry.get("likelihood")
    found = estimative.term(likelihood) if isinstance(likelihood, str) else None
    if found is None:
        raise InputError(
            f"{where}.likelihood {likelihood!r} is not an ICD 203 term; use one of "
            + ", ".join(estimative.term_keys())
        )
    confidence = _text(entry, "confidence", where).lower()
    if confidence and confidence not in estimative.confidence_levels():
        raise InputError(
            f"{where}.confidence {confidence!r} is not one of "
            + ", ".join(estimative.confidence_levels())
        )
    return JudgmentData(
        statement=statement,
        likelihood=found.key,
        probability=_probability(entry.get("probability"), where),
        confidence=confidence,
        resolves_by=_date(entry.get("resolves_by"), f"{where}.resolves_by"),
        criteria=_text(entry, "criteria", where),
        countries=[c.upper() for c in _string_list(entry.get("countries"), f"{where}.countries")],
        actors=_string_list(entry.get("actors"), f"{where}.actors"),
        resolution=_resolution(entry.get("resolution"), f"{where}.resolution"),
    )


def parse_judgments(value: Any) -> list[JudgmentData]:
    """The `judgments` list, structure checked; bands are checked by `band_problems`, so the
    linter can report a probability outside its band instead of refusing the file."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError("field 'judgments' must be a list of {statement, likelihood, ...}")
    if len(value) > MAX_JUDGMENTS:
        raise InputError(f"field 'judgments' has {len(value)} entries, over {MAX_JUDGMENTS}")
    judgments = [parse_judgment(entry, number) for number, entry in enumerate(value, 1)]
    seen: set[str] = set()
    for number, judgment in enumerate(judgments, 1):
        key = judgment.statement.casefold()
        if key in seen:
            raise InputError(f"judgments[{number}].statement repeats an earlier judgment")
        seen.add(key)
    return judgments


def band_problems(judgments: list[JudgmentData]) -> list[str]:
    """'judgments[N].probability: why' for each probability outside its term's band."""
    problems = []
    for number, judgment in enumerate(judgments, 1):
        if judgment.probability is None:
            continue
        problem = estimative.band_problem(judgment.likelihood, judgment.probability)
        if problem:
            problems.append(f"judgments[{number}].probability: {problem}")
    return problems
