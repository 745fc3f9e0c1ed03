"""Coverage over time on hub pages: bars a reader can count, labelled and titled."""

import datetime as dt
import re

from geopol.articles.coverage import coverage_series, coverage_svg


def month(y, m):
    return dt.date(y, m, 1)


def test_a_bar_a_month_with_the_empty_months_between():
    bars = coverage_series({month(2022, 11): 2, month(2023, 2): 5})
    assert [b.unit for b in bars] == ["month"] * 12  # at least a year of bars
    assert bars[-1].label == "Feb 2023" and bars[-1].count == 5
    assert [b.count for b in bars[-4:]] == [2, 0, 0, 5]


def test_a_long_archive_gets_a_bar_a_year():
    bars = coverage_series({month(2013, 1): 2, month(2013, 6): 1, month(2023, 6): 1})
    assert [(b.label, b.count) for b in bars][:2] == [("2013", 3), ("2014", 0)]
    assert len(bars) == 11 and bars[-1].label == "2023"


def test_the_chart_says_what_it_shows():
    svg = coverage_svg(coverage_series({month(2023, 1): 1, month(2023, 3): 4}), "Analyses of Mali")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "Analyses of Mali: 5 analyses from Apr 2022 to Mar 2023" in svg
    assert "<title>Mar 2023: 4 analyses</title>" in svg
    assert "<title>Jan 2023: 1 analysis</title>" in svg
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" class="coverage-bar"', svg)]
    assert max(heights) == 4 * min(h for h in heights if h)  # bars to scale
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
    assert min(sizes) >= 11  # readable on a phone
    assert coverage_svg([], "Analyses of Mali") == ""
