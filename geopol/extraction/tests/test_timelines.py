"""Timelines as readers get them: the seed's page, an analysis's events on its country's
and its actors' pages, newest first and linked to the analysis, and never from a body the
reader may not read."""

import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from geopol.articles.models import Article
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import Event
from geopol.extraction.services import tag_article
from geopol.geo.models import Country
from tests.shared import shared_path

pytestmark = pytest.mark.django_db

SEED = shared_path("seed/000_4b2a77ebaa4c6e4f.txt")
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"seed page not found at {SEED}")


def timeline(html: str) -> str:
    """The timeline section of a page ('' when there is none)."""
    match = re.search(r'<section class="timeline-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def when(section: str) -> list[str]:
    return re.findall(r'<time datetime="[\d-]+">([^<]+)</time>', section)


@needs_seed
def test_the_seed_page_shows_the_offensive_and_the_arrival(client):
    call_command("import_articles", str(SEED), stdout=io.StringIO())
    article = Article.objects.get()
    section = timeline(client.get(article.get_absolute_url()).content.decode())
    dates = when(section)
    assert "Jan 7, 2013" in dates and "Jan 10, 2013" in dates
    assert dates.index("Jan 7, 2013") < dates.index("Jan 10, 2013")  # in date order
    arrival = section[section.index("Jan 10, 2013") :]
    assert "airport on the outskirts of Sevare" in arrival.split("</li>")[0]
    offensive = section[section.index("Jan 7, 2013") :].split("</li>")[0]
    assert "operations launched Jan. 7" in offensive and "Ansar Dine" in offensive
    # the EU training mission "will begin in February": a month, and expected then
    assert "Feb 2013" in dates
    february = section[section.index("Feb 2013") :].split("</li>")[0]
    assert "expected" in february and "month" in february


@needs_seed
def test_extract_json_lists_the_seeds_events():
    out = io.StringIO()
    call_command("extract_articles", str(SEED), "--json", stdout=out)
    record = json.loads(out.getvalue())
    days = {e["date"]: e for e in record["events"] if e["precision"] == "day"}
    assert set(days) == {"2013-01-07", "2013-01-10"}
    assert days["2013-01-10"]["text"] == "Jan. 10"
    assert "Sevare" in days["2013-01-10"]["sentence"]
    assert "Ansar Dine" in days["2013-01-07"]["actors"]


HIDDEN = (
    "Commanders of Ansar Dine said on Jan. 3 that the Quellmarsh column had reached Konna "
    "in central Mali."
)
PUBLIC = "Officials in Bamako said on Jan. 5 that Ansar Dine fighters had left Douentza in Mali."


@pytest.fixture
def two_analyses():
    """A members-only and a public analysis of Mali, both naming Ansar Dine, with events."""
    published = dt.datetime(2013, 1, 8, 12, tzinfo=dt.UTC)
    hidden = ArticleFactory(
        title="Mali: Members Brief",
        access="members",
        teaser="A teaser anyone may read.",
        body=f"Opening paragraph.\n\n{HIDDEN}",
        published_at=published,
        countries=["ML"],
    )
    public = ArticleFactory(
        title="Mali: Public Note",
        body=PUBLIC,
        published_at=published + dt.timedelta(days=1),
        countries=["ML"],
    )
    for article in (hidden, public):
        tag_article(article)
    return hidden, public


def pages(client):
    mali = Country.objects.get(code="ML")
    country = client.get(mali.get_absolute_url()).content.decode()
    actor = client.get("/actors/ansar-dine/").content.decode()
    return timeline(country), timeline(actor)


def test_country_and_actor_pages_merge_events_newest_first_with_links(two_analyses, client):
    hidden, public = two_analyses
    staff = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)  # staff read like members
    for section in pages(client):
        assert when(section)[:2] == ["Jan 5, 2013", "Jan 3, 2013"]
        assert public.get_absolute_url() in section and hidden.get_absolute_url() in section
        assert "Quellmarsh column" in section


def test_events_of_a_members_only_body_stay_with_the_body(two_analyses, client):
    hidden, _ = two_analyses
    assert Event.objects.filter(article=hidden).exists()
    for reader in ("anonymous", "registered"):
        if reader == "registered":
            client.force_login(get_user_model().objects.create_user("reader", password="x"))
        for section in pages(client):
            assert when(section) == ["Jan 5, 2013"], reader
            assert "Quellmarsh" not in section and hidden.get_absolute_url() not in section
        page = client.get(hidden.get_absolute_url()).content.decode()
        assert timeline(page) == "" and "Quellmarsh" not in page


def test_a_new_text_replaces_the_events(two_analyses):
    _, public = two_analyses
    public.body = "Nothing dated here about Bamako."
    public.save()
    tag_article(public)
    assert not Event.objects.filter(article=public).exists()


def test_moving_the_publication_date_moves_relative_dates():
    # Friday Jan 11, 2013: "on Monday" is Jan 7; published a week later, Jan 14 is Monday
    article = ArticleFactory(
        title="Mali: Troops Land",
        body="French troops landed at Sevare on Monday, officials in Bamako said.",
        published_at=dt.datetime(2013, 1, 11, 18, tzinfo=dt.UTC),
        countries=["ML"],
    )
    tag_article(article)
    [event] = Event.objects.filter(article=article)
    assert event.date == dt.date(2013, 1, 7)
    named = set(event.entities.values_list("name", flat=True))
    article.published_at = dt.datetime(2013, 1, 16, 9, tzinfo=dt.UTC)  # a Wednesday
    article.save()
    [event] = Event.objects.filter(article=article)
    assert event.date == dt.date(2013, 1, 14)
    assert set(event.entities.values_list("name", flat=True)) == named  # tags kept
