"""Dated events in an article's text: the date expressions it writes ("Jan. 7", "on
Monday", "in February", "last week", "the next day"), resolved against its publication
date, each with an honest precision and the sentence it comes from. Pure: no ORM.

Small finders, one per kind of expression, yield candidates; overlapping ones keep the
longest; each is then resolved in text order (so "the next day" knows the day before it).
The words live in data/dates_words.yaml. How each kind is resolved (docs/geoparsing.md,
"Timelines"):

- a month and day without a year ("Jan. 10"), a holiday, a month alone ("in February"):
  the nearest such date to the publication date, either way (a January article's "in
  March" is the coming March, a December one's "in July" the past July); on a tie the past,
  unless the sentence before the date has a future cue ("will", "scheduled").
- a bare weekday ("on Monday"): the latest such day on or before the publication date, or
  with a future cue the first on or after it; "last"/"next" Monday: strictly before/after.
- "last week" / "next week": the week before or after the publication's, precision week
  (dated by its Monday); "last month", "last year", "yesterday" likewise.
- "the next day", "two days later": from the last day-precision date before it in the text;
  dropped when there is none.

Not dates of events, and so skipped: durations ("within a week"), "in recent years",
seasons, "since 2012" (it dates a state or a comparison), "by 2030" (a target), a year used
as an adjective ("in 2019 elections"), ages and other numbers.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from geopol.extraction.results import EventResult

WORDS_FILE = Path(__file__).resolve().parent / "data" / "dates_words.yaml"

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
PRECISIONS = (DAY, WEEK, MONTH, YEAR)


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression: `date` is the day, the week's Monday, the month's or the
    year's first day, by `precision`. Offsets are in the text given; `sentence` is the
    (start, end) of the sentence it stands in."""

    start: int
    end: int
    text: str
    date: dt.date
    precision: str
    sentence: tuple[int, int]


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    kind: str
    parts: dict[str, Any]


@dataclass(frozen=True)
class Context:
    published: dt.date
    anchor: dt.date | None  # the last day-precision date before, in text order
    future: bool  # the sentence before the expression has a future cue


@cache
def words() -> dict[str, Any]:
    return yaml.safe_load(WORDS_FILE.read_text()) or {}


def _alternation(items: Iterable[str]) -> str:
    return "|".join(re.escape(i) for i in sorted(items, key=len, reverse=True))


@cache
def month_numbers() -> dict[str, int]:
    numbers = {name: i for i, name in enumerate(words()["months"], start=1)}
    return numbers | dict(words()["month_abbreviations"])


def _first_letters(items: Iterable[str]) -> str:
    """A lookahead for the first letters of `items`, either case: the engine skips the
    positions where no item can start before trying the alternation (a third of the time)."""
    letters = {i[0].lower() for i in items} | {i[0].upper() for i in items}
    return "(?=[" + re.escape("".join(sorted(letters))) + "])"


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """A pattern per kind of expression. Each starts at a month or weekday name, a digit, or
    a phrase's first letter: what may stand before it ("in", "last") is read by `leads`."""
    w = words()
    full = _alternation(w["months"])
    any_month = _alternation(month_numbers())
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    chained = [*w["chained"], *w["numbers"]]
    return {
        "month_day": re.compile(
            rf"{_first_letters(month_numbers())}\b(?P<month>{any_month})\.?\s+{day}"
            rf"(?:,?\s+{year})?\b(?!\d|,\d|-\d|\.\d)"
        ),
        "day_month": re.compile(rf"\b{day}\s+(?P<month>{full})(?:,?\s+{year})?\b(?!,\d)"),
        "month_year": re.compile(
            rf"{_first_letters(w['months'])}\b(?P<month>{full})\s+(?:of\s+)?{year}\b"
        ),
        "iso": re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
        "month": re.compile(rf"{_first_letters(w['months'])}\b(?P<month>{full})\b(?!\.?\s*\d)"),
        "year": re.compile(rf"\b{year}\b(?![-–/]\d)(?:\s+(?P<next>[A-Za-z]+))?"),
        "weekday": re.compile(
            rf"{_first_letters(w['weekdays'])}\b(?P<weekday>{_alternation(w['weekdays'])})\b"
        ),
        "holiday": re.compile(rf"\b(?P<holiday>{_alternation(w['holidays'])})\b"),
        "relative": re.compile(
            rf"{_first_letters(w['relative'])}(?i:\b(?P<phrase>{_alternation(w['relative'])})\b)"
        ),
        "chained": re.compile(
            rf"(?=[\d{re.escape(''.join({c[0].lower() + c[0].upper() for c in chained}))}])"
            rf"(?i:\b(?:(?P<phrase>{_alternation(w['chained'])})"
            rf"|(?P<n>\d{{1,2}}|{_alternation(w['numbers'])})\s+days\s+later)\b)"
        ),
    }


@cache
def leads() -> dict[str, tuple[re.Pattern[str], bool]]:
    """What may stand right before an expression of a kind, read backwards from its start:
    (pattern anchored at the end, required). A month alone or a bare year is a date only
    after one of its leads ("in February", "in mid-2019"); a weekday may have one ("last")."""
    w = words()
    qualifier = r"(?:(?:early|late|mid-?)\s*)?"
    return {
        "month": (
            re.compile(rf"(?i:\b(?P<lead>{_alternation(w['month_leads'])})\s*{qualifier})$"),
            True,
        ),
        "year": (
            re.compile(rf"(?i:\b(?P<lead>{_alternation(w['year_leads'])})\s+{qualifier})$"),
            True,
        ),
        "weekday": (
            re.compile(r"(?i:\b(?P<rel>last|next|this past|this coming|this)\s+)$"),
            False,
        ),
    }


@cache
def stamp_re() -> re.Pattern[str]:
    return re.compile(rf"(?i:\b(?:{_alternation(words()['stamp_leads'])})\s+)$")


@cache
def future_re() -> re.Pattern[str]:
    return re.compile(rf"(?i:(?<!\w)(?:{_alternation(words()['future_cues'])})(?!\w))")


# A sentence ends at . ! ? before a capital, except after a month's or a title's
# abbreviation ("Jan. 7" never splits; "Mr. Toure" does not either) or an initial ("U.S.").
SENTENCE_END_RE = re.compile(
    r"(?<!\b[A-Z])(?<!Mr)(?<!Dr)(?<!Gen)(?<!St)[.!?][\"”’)]*\s+(?=[A-Z\"“])|\n"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at sentence punctuation and line breaks."""
    spans, start = [], 0
    for match in SENTENCE_END_RE.finditer(text):
        if match.end() > start:
            spans.append((start, match.end()))
            start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def candidates(text: str) -> Iterator[Candidate]:
    """Every date-shaped expression of `text`, overlapping ones included."""
    for kind, pattern in patterns().items():
        lead, required = leads().get(kind, (None, False))
        for match in pattern.finditer(text):
            parts = {k: v for k, v in match.groupdict().items() if v is not None}
            start, end = match.span()
            if stamp_re().search(text, max(0, start - 20), start):
                continue  # "as of May 17": when the text was written, not an event
            if lead is not None:
                before = lead.search(text, max(0, start - 30), start)
                if before is None and required:
                    continue
                if before is not None:
                    parts |= {k: v for k, v in before.groupdict().items() if v is not None}
                    start = before.start()
            if kind == "year" and "next" in parts:
                if parts["next"].lower() in words()["year_nouns"]:
                    continue
                end = match.end("year")  # the next word only told the year's use
            yield Candidate(start, end, kind, parts)


def longest_first(found: Iterable[Candidate]) -> list[Candidate]:
    """The candidates that overlap no longer one, in text order."""
    kept: list[Candidate] = []
    for cand in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """The dates `text` writes, resolved against its publication date, in text order."""
    spans = sentence_spans(text)
    starts = [s for s, _ in spans]
    found: list[DateMention] = []
    anchor: dt.date | None = None
    for cand in longest_first(candidates(text)):
        sentence = spans[max(0, bisect.bisect_right(starts, cand.start) - 1)] if spans else (0, 0)
        before = text[sentence[0] : cand.start]
        context = Context(published, anchor, bool(future_re().search(before)))
        resolved = RESOLVERS[cand.kind](cand, context)
        if resolved is None:
            continue
        date, precision = resolved
        found.append(
            DateMention(
                cand.start, cand.end, text[cand.start : cand.end], date, precision, sentence
            )
        )
        if precision == DAY:
            anchor = date
    return found


# Resolution: each kind's rule, (candidate, context) -> (date, precision) or None.


def _day(year: int, month: int, day: int) -> dt.date | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def nearest_year(month: int, day: int, context: Context) -> dt.date | None:
    """The date with this month and day nearest the publication date; a tie goes to the
    past, or to the future when the sentence has a future cue."""
    options = [d for y in (-1, 0, 1) if (d := _day(context.published.year + y, month, day))]
    if not options:
        return None

    def distance(d: dt.date) -> tuple[int, bool]:
        after = d > context.published
        return abs((d - context.published).days), after != context.future

    return min(options, key=distance)


def _month_of(cand: Candidate) -> int:
    month = cand.parts["month"]
    return int(month) if month.isdigit() else month_numbers()[month]


def resolve_month_day(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    month, day = _month_of(cand), int(cand.parts["day"])
    if "year" in cand.parts:
        date = _day(int(cand.parts["year"]), month, day)
    else:
        date = nearest_year(month, day, context)
    return None if date is None else (date, DAY)


def resolve_month_year(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    return dt.date(int(cand.parts["year"]), _month_of(cand), 1), MONTH


def _shift_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def resolve_month(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    """'in February': the nearest February; 'last/next February': strictly before/after
    the publication's month; 'this February': this year's."""
    month, lead = _month_of(cand), cand.parts["lead"].lower()
    this = dt.date(context.published.year, context.published.month, 1)
    options = [dt.date(context.published.year + y, month, 1) for y in (-1, 0, 1)]
    if lead == "last":
        return max(d for d in options if d < this), MONTH
    if lead == "next":
        return min(d for d in options if d > this), MONTH
    if lead == "this":
        return options[1], MONTH
    return _nearest_month(options, this, context), MONTH


def _nearest_month(options: list[dt.date], this: dt.date, context: Context) -> dt.date:
    def distance(d: dt.date) -> tuple[int, bool]:
        months = (d.year - this.year) * 12 + d.month - this.month
        return abs(months), (months > 0) != context.future

    return min(options, key=distance)


def resolve_year(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    return dt.date(int(cand.parts["year"]), 1, 1), YEAR


def resolve_weekday(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    weekday = words()["weekdays"].index(cand.parts["weekday"])
    rel = (cand.parts.get("rel") or "").lower()
    back = (context.published.weekday() - weekday) % 7  # days back to the latest such day
    if rel in ("last", "this past"):
        back = back or 7
    elif rel in ("next", "this coming") or (context.future and rel != "this"):
        ahead = (weekday - context.published.weekday()) % 7
        if rel == "next":
            ahead = ahead or 7
        return context.published + dt.timedelta(days=ahead), DAY
    return context.published - dt.timedelta(days=back), DAY


def resolve_holiday(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    month, day = words()["holidays"][cand.parts["holiday"]]
    date = nearest_year(month, day, context)
    return None if date is None else (date, DAY)


def _monday(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=date.weekday())


def resolve_relative(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    unit, offset = words()["relative"][" ".join(cand.parts["phrase"].lower().split())]
    published = context.published
    if unit == DAY:
        return published + dt.timedelta(days=offset), DAY
    if unit == WEEK:
        return _monday(published) + dt.timedelta(weeks=offset), WEEK
    if unit == MONTH:
        return _shift_months(dt.date(published.year, published.month, 1), offset), MONTH
    return dt.date(published.year + offset, 1, 1), YEAR


def resolve_chained(cand: Candidate, context: Context) -> tuple[dt.date, str] | None:
    if context.anchor is None:
        return None
    if "phrase" in cand.parts:
        days = words()["chained"][" ".join(cand.parts["phrase"].lower().split())]
    else:
        n = cand.parts["n"].lower()
        days = int(n) if n.isdigit() else words()["numbers"][n]
        if not 1 <= days <= 31:
            return None
    return context.anchor + dt.timedelta(days=days), DAY


RESOLVERS = {
    "month_day": resolve_month_day,
    "day_month": resolve_month_day,
    "iso": resolve_month_day,
    "month_year": resolve_month_year,
    "month": resolve_month,
    "year": resolve_year,
    "weekday": resolve_weekday,
    "holiday": resolve_holiday,
    "relative": resolve_relative,
    "chained": resolve_chained,
}


def dated_events(text: str, published: dt.date, mentions: Iterable[Any]) -> list[EventResult]:
    """The events of `text`: each date found, its sentence, and the places, actors and
    countries the geoparser's `mentions` (offsets in the same text) put in that sentence.
    A date written twice in one sentence is one event."""
    by_kind: dict[str, list[tuple[int, str]]] = {"place": [], "actor": [], "country": []}
    for mention in mentions:
        if mention.start >= 0 and mention.kind in by_kind:
            by_kind[mention.kind].append((mention.start, mention.key))
    events: list[EventResult] = []
    seen: set[tuple[dt.date, str, int]] = set()
    for found in find_dates(text, published):
        key = (found.date, found.precision, found.sentence[0])
        if key in seen:
            continue
        seen.add(key)
        start, end = found.sentence

        def named(kind: str, start: int = start, end: int = end) -> list[str]:
            return list(dict.fromkeys(k for at, k in by_kind[kind] if start <= at < end))

        events.append(
            EventResult(
                date=found.date,
                precision=found.precision,
                text=found.text,
                start=found.start,
                end=found.end,
                sentence=" ".join(text[start:end].split()),
                places=named("place"),
                actors=named("actor"),
                countries=named("country"),
            )
        )
    return events
