"""The date finder (geopol/extraction/dates.py), without a database: the labelled check of
dates_gold.yaml (original passages; gold written before the extractor ran on them) and the
rules a reader of a timeline would notice when broken."""

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from geopol.core.timefmt import event_date
from geopol.extraction.dates import dated_events, find_dates
from geopol.extraction.results import Mention

GOLD = Path(__file__).with_name("dates_gold.yaml")


def score(split: str) -> dict:
    """Precision and recall of (date, precision) pairs over the passages of `split`."""
    tp = fp = fn = 0
    passages = [p for p in yaml.safe_load(GOLD.read_text()) if p["split"] == split]
    for passage in passages:
        got = Counter(
            (m.date, m.precision) for m in find_dates(passage["text"], passage["published"])
        )
        want = Counter((d, precision) for d, precision in passage["dates"])
        tp += sum((got & want).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
    return {
        "split": split,
        "passages": len(passages),
        "gold_dates": tp + fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
    }


# floors a little under what was measured (docs/geoparsing.md): a rule change that loses
# dates fails here; heldout2 is the harder set, measured once and never tuned on
FLOORS = {"dev": (8, 0.9, 0.9), "heldout": (12, 0.9, 0.9), "heldout2": (10, 0.8, 0.75)}


@pytest.mark.parametrize("split", list(FLOORS))
def test_labelled_passages(split):
    result = score(split)
    print(json.dumps(result))  # the figures in docs/geoparsing.md
    passages, precision, recall = FLOORS[split]
    assert result["passages"] >= passages
    assert result["precision"] >= precision
    assert result["recall"] >= recall


def dates(text, published="2013-01-11"):
    return [
        (m.date.isoformat(), m.precision)
        for m in find_dates(text, dt.date.fromisoformat(published))
    ]


def test_a_month_and_day_take_the_nearest_year():
    assert dates("Talks open on Jan. 10.", "2021-12-28") == [("2022-01-10", "day")]
    assert dates("The vote was held on Dec. 30.", "2019-01-03") == [("2018-12-30", "day")]
    assert dates("It began January 7, 2013.") == [("2013-01-07", "day")]
    assert dates("It began on 7 January 2013.") == [("2013-01-07", "day")]


def test_a_month_alone_is_the_nearest_such_month_with_month_precision():
    # a January article's "in February" is the coming one; a December one's "in July" past
    assert dates("A mission will begin in February.") == [("2013-02-01", "month")]
    assert dates("The city fell in July.", "2017-12-15") == [("2017-07-01", "month")]
    assert dates("Gains came in early January.") == [("2013-01-01", "month")]
    assert dates("Talks failed last March.", "2013-05-02") == [("2013-03-01", "month")]


def test_weekdays_look_back_unless_the_sentence_looks_ahead():
    # Jan 11, 2013 was a Friday
    assert dates("Troops landed on Monday.") == [("2013-01-07", "day")]
    assert dates("Troops will land on Monday.") == [("2013-01-14", "day")]
    assert dates("Troops landed on Friday.") == [("2013-01-11", "day")]
    assert dates("Troops landed last Friday.") == [("2013-01-04", "day")]


def test_relative_phrases_have_the_precision_they_say():
    assert dates("Police detained 14 people last week.") == [("2012-12-31", "week")]
    assert dates("Yesterday the council met.") == [("2013-01-10", "day")]
    assert dates("Last year the deal was signed.") == [("2012-01-01", "year")]
    assert dates("The deal was signed last month.") == [("2012-12-01", "month")]


def test_the_next_day_counts_from_the_day_before_it():
    text = "Fighting resumed on Jan. 3, and the next day aircraft struck. Two days later it ended."
    assert dates(text) == [("2013-01-03", "day"), ("2013-01-04", "day"), ("2013-01-06", "day")]
    assert dates("The next day aircraft struck.") == []  # nothing to count from


@pytest.mark.parametrize(
    "text",
    [
        "In recent years turnout has fallen.",
        "The 45-year-old commander was killed.",
        "The 2013 budget cut defense spending.",
        "Voters rejected it in 2019 elections.",
        "It was the strongest quake since 1939.",
        "Emissions are to be halved by 2030.",
        "A 3,300-strong force will assemble in the coming weeks.",
        "The ceasefire collapsed within a week.",
        "The junta may hold elections.",
        "They attacked three days after the talks.",
        "Situation as of May 17",
    ],
)
def test_what_is_not_an_event_date_is_skipped(text):
    assert dates(text) == []


def test_an_event_carries_its_sentence_and_what_it_names():
    text = (
        "Rebels held Douentza. Troops arrived at the airport near Sevare on Jan. 10. Calm returned."
    )
    sevare = text.index("Sevare")
    mentions = [
        Mention("place", "sevare", "Sevare", sevare, sevare + 6),
        Mention("place", "douentza", "Douentza", 12, 20),
        Mention("actor", "title-only", "X", -1, -1),
    ]
    [event] = dated_events(text, dt.date(2013, 1, 11), mentions)
    assert event.sentence == "Troops arrived at the airport near Sevare on Jan. 10."
    assert (event.date, event.precision, event.text) == (dt.date(2013, 1, 10), "day", "Jan. 10")
    assert event.places == ["sevare"] and event.actors == []


def test_dates_in_the_house_style():
    day = dt.date(2013, 1, 7)
    assert event_date(day) == "Jan 7, 2013"
    assert event_date(day, "week") == "Week of Jan 7, 2013"
    assert event_date(day, "month") == "Jan 2013"
    assert event_date(day, "year") == "2013"
