import datetime as dt

import pytest

from geopol.core.text import count_words, fold, make_slug, reading_label, reading_minutes
from geopol.core.timefmt import dateline, event_date, parse_dateline, parse_iso


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (530, 3), (600, 3), (601, 4)]
)
def test_reading_minutes_rounds_up_at_200_wpm(words, minutes):
    assert reading_minutes(words) == minutes


def test_reading_label():
    assert reading_label(1) == "1 min read"
    assert reading_label(3) == "3 mins read"


def test_count_words_counts_whitespace_separated_tokens():
    assert count_words("A 3,300-strong force — U.S. and al Qaeda.") == 8


def test_dateline_house_style_in_utc():
    moment = dt.datetime(2013, 1, 11, 19, 9, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert dateline(moment) == "Jan 11, 2013 | 18:09 GMT"
    assert parse_dateline("Jan 11, 2013 | 18:09 GMT") == moment
    assert parse_dateline("Mar 4, 2015 | 09:30 GMT").day == 4


def test_a_single_digit_day_is_written_as_timelines_write_it():
    moment = dt.datetime(2013, 1, 7, 9, 5, tzinfo=dt.UTC)
    assert dateline(moment) == "Jan 7, 2013 | 09:05 GMT"
    assert dateline(moment).split(" | ")[0] == event_date(moment.date())
    assert parse_dateline(dateline(moment)) == moment


def test_parse_iso():
    assert parse_iso("2013-01-11") == dt.datetime(2013, 1, 11, tzinfo=dt.UTC)
    assert parse_iso("2013-01-11T18:09:00Z").hour == 18
    assert parse_iso("2013-01-11T19:09:00+01:00").hour == 18
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_iso("11/01/2013")


def test_fold_and_slug():
    assert fold("Sévaré") == "sevare"
    assert make_slug("Côte d'Ivoire: What Next?") == "cote-divoire-what-next"
    assert make_slug("!!!") == "untitled"
