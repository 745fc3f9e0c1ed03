import datetime as dt

import pytest
from django.contrib.auth.models import User

from geopol.articles.models import Access, ArticleType, Status
from geopol.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/articles",
        "/api/v1/articles/{slug}",
        "/api/v1/regions",
        "/api/v1/countries",
        "/api/v1/countries/{code}",
        "/api/v1/search",
    }


def test_articles_list_is_published_newest_first_and_filterable(client):
    ArticleFactory(title="Draft", status=Status.DRAFT, countries=["ML"])
    new = ArticleFactory(title="New Japan", countries=["JP"])
    old = ArticleFactory(
        title="Old Mali", countries=["ML"], published_at=new.published_at - dt.timedelta(days=400)
    )
    data = client.get("/api/v1/articles").json()
    assert [a["title"] for a in data["items"]] == [new.title, old.title]
    assert data["count"] == 2
    assert [a["title"] for a in client.get("/api/v1/articles?country=ml").json()["items"]] == [
        "Old Mali"
    ]
    by_region = client.get("/api/v1/articles?region=east-asia").json()["items"]
    assert [a["title"] for a in by_region] == ["New Japan"]
    item = data["items"][1]
    assert item["url"] == f"/articles/{old.slug}/"
    assert item["countries"] == [{"code": "ML", "name": "Mali", "url": "/countries/mali/"}]


def test_article_detail_withholds_members_body(client):
    secret = "Secret paragraph for members."
    article = ArticleFactory(
        access=Access.MEMBERS, teaser="Public teaser.", body=f"First.\n\n{secret}"
    )
    data = client.get(f"/api/v1/articles/{article.slug}").json()
    assert data["readable"] is False and data["body_html"] is None
    assert data["teaser"] == "Public teaser."
    assert secret not in str(data)
    client.force_login(User.objects.create_user("ed", password="pw-for-tests-1", is_staff=True))
    assert secret in client.get(f"/api/v1/articles/{article.slug}").json()["body_html"]


def test_unpublished_article_is_404(client):
    article = ArticleFactory(status=Status.DRAFT)
    assert client.get(f"/api/v1/articles/{article.slug}").status_code == 404


def test_regions_and_countries(client):
    regions = client.get("/api/v1/regions").json()
    assert len(regions) == 9
    names = {r["name"] for r in regions}
    assert {"Sub-Saharan Africa", "Eurasia", "Latin America & Caribbean"} <= names
    countries = client.get("/api/v1/countries").json()
    assert len(countries) == 249
    assert client.get("/api/v1/countries/ua").json()["region"] == "eurasia"
    assert client.get("/api/v1/countries/ZZ").status_code == 404


def test_search_endpoint(client):
    ArticleFactory(title="Baltic cable sabotage", body="Investigators examined the anchor.")
    ArticleFactory(
        title="Members cable piece",
        access=Access.MEMBERS,
        teaser="Teaser.",
        body="Hidden detail about the cable operators.",
    )
    data = client.get("/api/v1/search", {"q": "cable"}).json()
    assert data["total"] == 2
    assert {r["title"] for r in data["results"]} == {"Baltic cable sabotage", "Members cable piece"}
    assert "Hidden detail" not in str(data)
    assert client.get("/api/v1/search", {"q": '"broken'}).json()["note"]


def test_search_endpoint_filters_and_facets(client):
    ArticleFactory(title="Sahel drought", body="Harvests failed.", countries=["ML"])
    ArticleFactory(title="Andes drought", body="Harvests failed.", countries=["PE"])
    data = client.get("/api/v1/search", {"q": "drought"}).json()
    countries = {f["value"]: f["count"] for f in data["facets"]["country"]}
    assert countries == {"ML": 1, "PE": 1} and data["facets_estimated"] is False
    data = client.get("/api/v1/search", {"q": "drought", "country": "Mali"}).json()
    assert [r["title"] for r in data["results"]] == ["Sahel drought"]
    assert data["filters"] == [{"field": "country", "value": "Mali", "label": "Mali"}]
    data = client.get("/api/v1/search", {"q": "drougth"}).json()
    assert data["total"] == 0 and data["did_you_mean"] == "drought"
    year = str(dt.datetime.now(dt.UTC).year + 1)
    assert client.get("/api/v1/search", {"q": "drought", "from": year}).json()["total"] == 0


def test_search_suggest_endpoint(client):
    ArticleFactory(title="Sahel drought", body="Harvests failed.")
    data = client.get("/api/v1/search/suggest", {"q": "sahel dro"}).json()
    assert data == [{"kind": "article", "label": "Sahel drought", "url": data[0]["url"]}]


def test_openapi_schema_describes_not_found_and_invalid_answers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/articles/{slug}",
        "/api/v1/countries/{code}",
        "/api/v1/articles/{slug}/map",
    ):
        assert "404" in paths[path]["get"]["responses"], path
    for path in ("/api/v1/articles", "/api/v1/search"):
        assert "422" in paths[path]["get"]["responses"], path
    assert client.get("/api/v1/articles/no-such-piece").json() == {"detail": "Not Found"}
    assert client.get("/api/v1/articles?limit=0").status_code == 422


def test_openapi_schema_gives_closed_sets_as_enums(client):
    """A client generator reads the allowed values from the schema instead of the docs."""
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert components["ArticleType"]["enum"] == [t.value for t in ArticleType]
    assert components["Access"]["enum"] == ["public", "registered", "members"]
    assert components["SearchOut"]["properties"]["sort"]["enum"] == ["relevance", "date"]


def test_an_unknown_article_type_is_refused_with_the_allowed_values(client):
    response = client.get("/api/v1/articles?type=opinion")
    assert response.status_code == 422
    assert "analysis" in response.content.decode()
