"""One date style across the site: 'Jan 7, 2013', as timelines write it, in datelines, lists
and every template."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client

from geopol.articles.tests.factories import ArticleFactory

TEMPLATES = Path(__file__).resolve().parents[1] / "geopol" / "templates"


@pytest.mark.django_db
def test_an_article_of_jan_7_reads_jan_7_in_its_dateline_and_its_timeline():
    article = ArticleFactory(
        title="Mali: The Offensive on Konna",
        body="On Jan. 7, fighters of Ansar Dine advanced on Konna.\n\nThe army fell back.",
        countries=["ML"],
        published_at=dt.datetime(2013, 1, 7, 18, 9, tzinfo=dt.UTC),
    )
    page = Client().get(article.get_absolute_url()).text
    assert "Jan 7, 2013 | 18:09 GMT" in page
    assert re.search(r'class="event-when"><time datetime="2013-01-07">Jan 7, 2013<', page)
    assert "Jan 07" not in page


def test_no_template_writes_a_day_another_way():
    """Days go through the `day` filter ('Jan 7, 2013'); a |date format never pads the day
    ('d': 'Jan 07') or puts it first ('j M': '7 Jan')."""
    odd = []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        for fmt in re.findall(r'\|date:["\']([^"\']+)["\']', path.read_text()):
            if fmt in {"c", "Y-m-d"}:  # machine-readable, in datetime="" attributes
                continue
            if "d" in fmt or re.search(r"j\s*M", fmt):
                odd.append(f"{path.relative_to(TEMPLATES)}: {fmt}")
    assert odd == []
