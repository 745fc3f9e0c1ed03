"""Search that forgives: an empty query lists the newest with facets, every year can be
picked, AND and NOT are understood, and "did you mean" knows names spelled another way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from geopol.articles.search import search_articles
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import Actor, ActorKind
from geopol.extraction.services import tag_article

pytestmark = pytest.mark.django_db


def _at(year: int):
    return dt.datetime(year, 3, 1, tzinfo=dt.UTC)


def test_an_empty_query_lists_the_newest_with_facets_and_every_year(client):
    for year in range(2010, 2022):
        ArticleFactory(title=f"Sahel review {year}", published_at=_at(year), countries=["ML"])
    page = client.get("/search/").text
    assert "The newest of 12 analyses" in page
    assert page.index("Sahel review 2021") < page.index("Sahel review 2020")
    for year in range(2010, 2022):  # the year facet reaches every year, not the 8 newest
        assert f"from={year}&amp;to={year}" in page, year
    assert "Save this search" not in page


def test_and_and_not_are_operators(client):
    ArticleFactory(title="Mali and France agree", body="Paris and Bamako signed.", countries=["ML"])
    ArticleFactory(title="Mali alone", body="Bamako waited.", countries=["ML"])
    assert search_articles("Mali AND France").total == 1
    assert search_articles("Mali NOT France").total == 1
    assert search_articles("Mali NOT France").items[0].article.title == "Mali alone"


@pytest.fixture
def sahel():
    article = ArticleFactory(
        title="Mali: Jihadists Near Sevare",
        body=(
            "Ansar Dine fighters advanced from Timbuktu towards Sévaré and Mopti.\n\n"
            "The army held the airport at Sévaré."
        ),
        published_at=timezone.now() - dt.timedelta(days=1),
        countries=["ML"],
    )
    tag_article(article)
    from geopol.articles.services import sync_search_index

    sync_search_index([article])
    return article


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Timbuctoo", "Timbuktu"), ("Sevarre", "Sevare"), ("Ansar Dyne", "Ansar Dine")],
)
def test_did_you_mean_knows_names_spelled_another_way(sahel, client, typed, meant):
    results = search_articles(typed, spelling=True)
    assert results.total == 0
    assert results.did_you_mean.casefold().replace("é", "e") == meant.casefold()
    assert search_articles(results.did_you_mean).total == 1
    page = client.get("/search/", {"q": typed}).text
    assert "Did you mean" in page


def test_did_you_mean_knows_an_actor_as_soon_as_the_registry_has_it(
    client, django_capture_on_commit_callbacks
):
    ArticleFactory(title="Sahel: A New Front", body="The Qorvath Front took the ferry at Konna.")
    assert search_articles("Qorvathi Resistance", spelling=True).did_you_mean == ""
    with django_capture_on_commit_callbacks(execute=True):
        Actor.objects.create(
            slug="qorvath-front",
            name="Qorvath Front",
            kind=ActorKind.ARMED_GROUP,
            aliases=["Qorvathi Resistance"],
        )
    assert search_articles("Qorvathi Resistance", spelling=True).did_you_mean == "Qorvath Front"


def test_did_you_mean_knows_no_name_of_rows_that_are_gone(client):
    """The name index a process keeps follows the shared cache: emptied (between tests, or by
    an operator), it is built again from the rows there are now."""
    kidal = ArticleFactory(title="Kidal", body="Trucks left Kidal for the north.", countries=["ML"])
    tag_article(kidal)
    assert search_articles("kidel", spelling=True).did_you_mean == "Kidal"  # a place's name
    kidal.delete()
    cache.clear()
    ArticleFactory(title="Kidal road", body="The road north to kidal is open again.")
    assert search_articles("kidel", spelling=True).did_you_mean == "kidal"  # a word, no name
