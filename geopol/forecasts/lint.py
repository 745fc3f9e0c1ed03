"""The tradecraft linter: estimative language in an analysis, checked against ICD 203. Pure.

Fed an article's plain text and its declared key judgments, it proposes judgments found in
the text (an estimative phrase -> its ICD 203 term) and flags what ICD 203 asks analysts not to
do. Rules (word lists in data/tradecraft.json):

- vague-modal: "could", "may", "might" carrying a forecast, with no likelihood said;
- mixed-term-sets: words of both ICD 203 sets ("likely" and "probably") in one analysis;
- likelihood-with-confidence: a likelihood and a confidence level in the same sentence;
- no-resolve-by: a declared judgment without a resolve-by date;
- probability-outside-band: a probability outside its term's band, declared or in the text
  ("likely (90%)").
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from geopol.core import estimative

DATA = Path(__file__).parent / "data" / "tradecraft.json"
PERCENT_RE = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
MAX_TEXT = 2_000_000  # characters; an analysis is a few thousand


@dataclass(frozen=True)
class Proposal:
    statement: str  # the sentence
    phrase: str  # the words that carry the likelihood, as written
    likelihood: str  # the ICD 203 term
    band: str
    probability: float  # the band's midpoint: a starting point for the analyst
    alternatives: tuple[str, ...]  # other terms the phrase may mean ("most likely")
    forecast: bool  # about the future (can resolve later), not the past or present
    paragraph: int


@dataclass(frozen=True)
class Flag:
    rule: str
    message: str
    text: str  # the sentence, or the judgment's statement
    paragraph: int | None = None
    judgment: int | None = None  # 1-based index into the declared judgments


@dataclass
class LintResult:
    proposed: list[Proposal] = field(default_factory=list)
    flagged: list[Flag] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "proposed": [asdict(p) | {"alternatives": list(p.alternatives)} for p in self.proposed],
            "flagged": [asdict(f) for f in self.flagged],
        }


@dataclass(frozen=True)
class Declared:
    """What the linter needs of a declared judgment (importers.judgments.JudgmentData)."""

    statement: str
    likelihood: str
    probability: float | None
    resolves_by: object | None


@functools.cache
def _lists() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _alternation(phrases: list[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lists = _lists()
    likelihood = [e["phrase"] for e in lists["likelihood"]]
    return {
        "likelihood": re.compile(rf"\b(?:{_alternation(likelihood)})\b", re.IGNORECASE),
        "vague": re.compile(
            rf"\b(?P<modal>{_alternation(lists['vague'])})\s+(?P<next>[a-z]+(?:\s+[a-z]+)?)",
            re.IGNORECASE,
        ),
        "future": re.compile(rf"\b(?:{_alternation(lists['future'])})\b", re.IGNORECASE),
        "confidence": re.compile(rf"\b(?:{_alternation(lists['confidence'])})\b", re.IGNORECASE),
    }


@functools.cache
def _phrase_info() -> dict[str, dict[str, Any]]:
    return {e["phrase"]: e for e in _lists()["likelihood"]}


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph; a period after an abbreviation ("Jan.", "U.S.") or an
    initial does not end one."""
    abbreviations = set(_lists()["abbreviations"])
    result, start = [], 0
    for match in re.finditer(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])", paragraph):
        before = paragraph[start : match.start()].split()
        word = before[-1].casefold().rstrip(".") if before else ""
        if word in abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        result.append(paragraph[start : match.end()].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        result.append(tail)
    return result


def _normal(phrase: str) -> str:
    return " ".join(phrase.casefold().split())


def _propose(sentence: str, number: int) -> tuple[Proposal | None, set[tuple[int, str]]]:
    """The sentence's strongest estimative phrase as a proposal, and the word sets used."""
    matches = list(_patterns()["likelihood"].finditer(sentence))
    if not matches:
        return None, set()
    infos = [_phrase_info()[_normal(m.group(0))] for m in matches]
    used = {
        (info["set"], m.group(0)) for m, info in zip(matches, infos, strict=True) if info["set"]
    }
    first, info = matches[0], infos[0]
    term = estimative.term(info["term"])
    assert term is not None, f"tradecraft.json: unknown term {info['term']!r}"
    proposal = Proposal(
        statement=sentence,
        phrase=first.group(0),
        likelihood=term.key,
        band=term.band_label,
        probability=term.midpoint,
        alternatives=tuple([info["also"]] if info.get("also") else []),
        forecast=bool(_patterns()["future"].search(sentence)),
        paragraph=number,
    )
    return proposal, used


def _carries_forecast(following: str) -> bool:
    """Whether the words after a modal make it a forecast ("could take") rather than the
    past ("could have", "could not reach"), an inference ("may indicate") or a hedge that
    already says how likely ("could probably")."""
    lists = _lists()
    words = following.casefold().split()
    if words and words[0] in lists["modal_adverbs"] and len(words) > 1:
        words = words[1:]
    if not words or words[0] in lists["past_after_modal"]:
        return False
    if words[0] in lists["inference_verbs"]:
        return False
    return not _patterns()["likelihood"].match(" ".join(words))


def _vague(sentence: str, number: int) -> list[Flag]:
    flags = []
    for match in _patterns()["vague"].finditer(sentence):
        modal, following = match.group("modal"), match.group("next")
        if modal[0].isupper() and match.start() > 0:  # "May 2013": the month
            continue
        if not _carries_forecast(following):
            continue
        flags.append(
            Flag(
                "vague-modal",
                f"'{modal} {following.split()[0]}' carries a forecast without saying how "
                "likely it is: use an ICD 203 term (and a resolve-by date)",
                sentence,
                paragraph=number,
            )
        )
    return flags


def _stated_percent(sentence: str, likelihood: str, number: int) -> list[Flag]:
    """A percentage written next to a term that does not hold it ("likely (90%)")."""
    flags = []
    for match in PERCENT_RE.finditer(sentence):
        value = float(match.group(1)) / 100
        problem = estimative.band_problem(likelihood, value) if value <= 1 else None
        if problem:
            flags.append(Flag("probability-outside-band", problem, sentence, paragraph=number))
    return flags


def _declared(judgments: list[Declared]) -> list[Flag]:
    flags = []
    for index, judgment in enumerate(judgments, 1):
        if judgment.resolves_by is None:
            flags.append(
                Flag(
                    "no-resolve-by",
                    "the judgment has no resolve-by date: add 'resolves_by' (YYYY-MM-DD) so "
                    "the ledger can score it",
                    judgment.statement,
                    judgment=index,
                )
            )
        if judgment.probability is not None:
            problem = estimative.band_problem(judgment.likelihood, judgment.probability)
            if problem:
                flags.append(
                    Flag("probability-outside-band", problem, judgment.statement, judgment=index)
                )
    return flags


def lint(paragraphs: list[str], judgments: list[Declared] | None = None) -> LintResult:
    """Proposals and flags for an article given as its plain-text paragraphs."""
    result = LintResult()
    sets: dict[int, tuple[str, str]] = {}  # ICD 203 word set -> first (phrase, sentence)
    budget = MAX_TEXT
    for number, paragraph in enumerate(paragraphs, 1):
        budget -= len(paragraph)
        if budget < 0:
            break
        for sentence in sentences(paragraph):
            proposal, used = _propose(sentence, number)
            if proposal is not None:
                result.proposed.append(proposal)
                for word_set, phrase in sorted(used):
                    sets.setdefault(word_set, (phrase, sentence))
                if _patterns()["confidence"].search(sentence):
                    result.flagged.append(
                        Flag(
                            "likelihood-with-confidence",
                            "likelihood and confidence in one sentence: ICD 203 states them "
                            "separately (confidence says how good the evidence is)",
                            sentence,
                            paragraph=number,
                        )
                    )
                result.flagged += _stated_percent(sentence, proposal.likelihood, number)
            result.flagged += _vague(sentence, number)
    if len(sets) > 1:
        (first, _), (second, sentence) = sets[min(sets)], sets[max(sets)]
        result.flagged.append(
            Flag(
                "mixed-term-sets",
                f"estimative words from both ICD 203 sets ('{first}' and '{second}'): keep to "
                "one set in an analysis ('likely, very likely...' or 'probable, highly "
                "probable...')",
                sentence,
            )
        )
    result.flagged += _declared(judgments or [])
    return result
