"""The API's actors, persons and places: what the indexes show, within the paywall, a page
at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geopol.articles.models import Access
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.services import tag_article
from geopol.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    public = ArticleFactory(
        title="Mali: Ansar Dine near Konna",
        body="Ansar Dine fighters advanced from Gao toward Mopti, in central Mali.",
        countries=["ML"],
    )
    hidden = ArticleFactory(
        title="Niger: a quiet border",
        teaser="A teaser anyone may read.",
        access=Access.MEMBERS,
        body="Boko Haram crossed into Diffa from Nigeria, officials in Niamey said.",
        countries=["NE"],
    )
    for article in (public, hidden):
        tag_article(article)
    return public, hidden


def test_actors_list_what_readable_analyses_name(client, tagged):
    anonymous = client.get("/api/v1/actors").json()
    slugs = {a["slug"]: a for a in anonymous["items"]}
    assert slugs["ansar-dine"]["analyses"] == 1 and slugs["ansar-dine"]["kind"] == "armed-group"
    assert "boko-haram" not in slugs  # named only in a members-only body
    client.force_login(MembershipFactory().user)
    member = {a["slug"] for a in client.get("/api/v1/actors").json()["items"]}
    assert {"ansar-dine", "boko-haram"} <= member


def test_places_list_what_readable_analyses_name(client, tagged):
    names = {p["name"] for p in client.get("/api/v1/places").json()["items"]}
    assert {"Gao", "Mopti"} <= names and "Diffa" not in names
    client.force_login(MembershipFactory().user)
    assert "Diffa" in {p["name"] for p in client.get("/api/v1/places").json()["items"]}
    mali = client.get("/api/v1/places?country=ml&q=Ga").json()["items"]
    assert [p["name"] for p in mali] == ["Gao"] and mali[0]["lat"] is not None


def test_persons_come_with_their_offices(client):
    found = client.get("/api/v1/persons?q=erdogan").json()["items"]
    assert found and found[0]["kind"] == "person" and "TR" in found[0]["countries"]
    detail = client.get(f"/api/v1/actors/{found[0]['slug']}").json()
    assert any(r["country"] == "TR" for r in detail["roles"])


def test_an_actor_s_detail_lists_only_analyses_the_caller_may_read(client, tagged):
    detail = client.get("/api/v1/actors/boko-haram").json()
    assert detail["analyses"] == 0 and detail["latest"] == []
    assert client.get("/api/v1/actors/no-such-actor").status_code == 404


def test_an_unknown_kind_is_refused_with_the_kinds(client):
    response = client.get("/api/v1/actors?kind=gang")
    assert response.status_code == 422 and "armed-group" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/actors?limit=20", "/api/v1/places?limit=20"])
def test_a_page_costs_the_same_queries_whatever_the_archive(client, url):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for i in range(2):
        tag_article(ArticleFactory(body=f"Ansar Dine held Konna and Gao in week {i}."))
    few = queries()
    for i in range(8):
        tag_article(ArticleFactory(body=f"Ansar Dine and AQIM held Timbuktu, week {i}."))
    assert queries() == few
