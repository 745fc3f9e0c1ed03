"""Country pages, searches and the API's article list and detail come from the cache for a
reader with nothing of their own (articles/anoncache.py): no query once made, the change
on the page as soon as an article changes, and never to a signed-in reader.

Data is created inside `django_capture_on_commit_callbacks(execute=True)`, as if committed
(until a transaction with edits commits, its process renders without the cache)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from geopol.articles.services import render_article
from geopol.articles.tests.factories import ArticleFactory
from geopol.members.tests.factories import UserFactory
from geopol.related.models import Curation

pytestmark = pytest.mark.django_db

PAGES = ["/countries/mali/", "/search/?q=ministers", "/api/v1/articles?limit=5"]


@pytest.fixture
def sahel(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(title="Sahel: The Junta Holds", slug="sahel", countries=["ML"])


def queries(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.text, len(captured)


@pytest.mark.parametrize("url", [*PAGES, "/api/v1/articles/sahel"])
def test_a_page_made_once_is_served_without_queries(sahel, url):
    first, made = queries(Client(), url)
    again, served = queries(Client(), url)
    assert again == first
    assert made > 1
    assert served <= 1  # the country page looks its slug up


@pytest.mark.parametrize("url", PAGES)
def test_an_edit_reaches_the_cached_page(sahel, url, django_capture_on_commit_callbacks):
    assert "Sahel: The Junta Holds" in Client().get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        sahel.title = "Sahel: The Junta Falls"
        sahel.save()
        render_article(sahel)
    text = Client().get(url).text
    assert "Sahel: The Junta Falls" in text
    assert "Sahel: The Junta Holds" not in text


def test_a_signed_in_reader_gets_their_own_page(sahel):
    anonymous = Client().get("/countries/mali/").text
    assert "Sign in to follow" in anonymous
    client = Client()
    client.force_login(UserFactory())
    mine = client.get("/countries/mali/").text
    assert "Sign in to follow" not in mine
    assert 'name="csrfmiddlewaretoken"' in mine
    assert "Sign in to follow" in Client().get("/countries/mali/").text


def test_an_editors_pin_reaches_the_cached_api_detail(sahel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        other = ArticleFactory(title="Japan: The Yen Slides", countries=["JP"])
    url = "/api/v1/articles/sahel"
    assert other.title not in Client().get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        Curation.objects.create(article=sahel, target=other, note="Read beside it")
    pinned = Client().get(url).json()["connected"][0]
    assert (pinned["title"], pinned["reason"], pinned["pinned"]) == (
        other.title,
        "Read beside it",
        True,
    )
