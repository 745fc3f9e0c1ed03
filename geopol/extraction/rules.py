"""The geoparser's word lists and score constants, read from the documented data files beside
the code (`data/geoparse_words.yaml`, `data/geoparse_scores.yaml`). Pure; loaded once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
WORDS_FILE = DATA / "geoparse_words.yaml"
SCORES_FILE = DATA / "geoparse_scores.yaml"


class RulesError(ValueError):
    """A data file of the geoparser is missing a key, has an unknown one or a bad value."""


@dataclass(frozen=True)
class Words:
    particles: frozenset[str]
    common_word_places: frozenset[str]
    first_name_places: frozenset[str]
    titles: frozenset[str]
    locative_cues: frozenset[str]
    calendar_words: frozenset[str]
    directions: frozenset[str]
    place_suffixes: frozenset[str]
    institution_heads: frozenset[str]
    sentence_words: frozenset[str]
    modifier_heads: frozenset[str]


@dataclass(frozen=True)
class Scores:
    big_city_evidence: float
    big_city_population: int
    actor_home_evidence: float
    us_state_margin: float
    feature: float
    feature_in_context: float
    broad_area: float
    country_in_context: float
    per_country_mention: float
    country_mentions_cap: int
    region_with_cue: float
    admin1_without_cue: float
    admin_without_cue: float
    admin1_fame: float
    admin1_named: float
    metropolis_population: int
    metropolis: float
    megacity_population: int
    megacity: float
    small_namesake_population: int
    namesake_population: int
    well_known_population: int
    multiword_town_population: int
    hamlet_population: int
    name_part_population: int
    refine_min_places: int
    refine_fixed_population: int
    refine_margin_km: float
    qualifier_reach_km: float
    title_country: float
    body_country: float
    title_place: float
    body_place: float
    editor_country: float
    primary_share: float
    primary_minimum: float
    primary_most: int
    lead_share: float
    spread_weight: float
    local_sentences: int
    local_reach_km: float
    local_margin_km: float
    stray_evidence: float
    stray_km: float
    unnamed_metropolis_reach_km: float
    unnamed_metropolis_namesake_population: int
    unnamed_capital_reach_km: float


def _mapping(path: Path, kind: type) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping of names to values")
    wanted = {f.name for f in dataclasses.fields(kind)}
    missing, unknown = wanted - data.keys(), data.keys() - wanted
    if missing or unknown:
        raise RulesError(
            f"{path}: missing keys {sorted(missing)}, unknown keys {sorted(unknown)}; "
            f"every key of {kind.__name__} in geopol/extraction/rules.py must be there once"
        )
    return data


def load_words(path: Path = WORDS_FILE) -> Words:
    data = _mapping(path, Words)
    for key, value in data.items():
        if not isinstance(value, str):
            raise RulesError(f"{path}: {key} must be words separated by spaces")
    return Words(**{key: frozenset(str(value).split()) for key, value in data.items()})


def load_scores(path: Path = SCORES_FILE) -> Scores:
    data = _mapping(path, Scores)
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RulesError(f"{path}: {key} must be a number, not {value!r}")
    return Scores(**data)  # type: ignore[arg-type]


WORDS = load_words()
SCORES = load_scores()
