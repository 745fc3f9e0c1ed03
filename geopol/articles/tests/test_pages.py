"""Pages as a reader meets them: home, article, regions, countries, search, previews."""

import datetime as dt
import json
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from geopol.articles.models import Access, Article, ArticleType, Status
from geopol.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def ld_json(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_article_page_shows_dateline_reading_time_chips_and_metadata(client):
    moment = dt.datetime(2019, 3, 5, 7, 4, tzinfo=dt.UTC)
    article = ArticleFactory(
        title="Sahel: Juntas Close Ranks",
        published_at=moment,
        countries=["ML", "BF", "NE"],
        body="word " * 201,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Mar 5, 2019 | 07:04 GMT" in html
    assert "2 mins read" in html
    assert html.count("<h1") == 1
    assert 'href="/countries/mali/"' in html
    assert 'href="/regions/sub-saharan-africa/"' in html
    assert '<meta property="og:title" content="Sahel: Juntas Close Ranks">' in html
    data = ld_json(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Sahel: Juntas Close Ranks"
    assert data["datePublished"].startswith("2019-03-05T07:04:00")
    assert data["isAccessibleForFree"] is True
    assert "Connected Content" in html and "Article Search" in html


def test_one_minute_is_singular(client):
    article = ArticleFactory(body="Short text.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1 min read" in html
    assert "1 mins read" not in html


def test_connected_content_prefers_shared_countries_then_newest(client):
    now = timezone.now()
    article = ArticleFactory(countries=["ML", "FR", "MR"])
    two = ArticleFactory(
        title="Shares two", countries=["ML", "FR"], published_at=now - dt.timedelta(days=30)
    )
    one_new = ArticleFactory(
        title="Shares one, newer", countries=["MR"], published_at=now - dt.timedelta(days=2)
    )
    one_old = ArticleFactory(
        title="Shares one, older", countries=["ML"], published_at=now - dt.timedelta(days=9)
    )
    ArticleFactory(title="Shares none", countries=["JP"])
    ArticleFactory(title="Draft sharing all", countries=["ML", "FR", "MR"], status=Status.DRAFT)
    connected = list(Article.objects.connected_to(article))
    assert connected == [two, one_new, one_old]
    # the page draws the related app's Connected Content (geopol/related/tests), which also
    # weighs the primary country above one merely mentioned
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("Shares two") < html.index("Shares one, older")
    assert "Shares none" not in html and "Draft sharing all" not in html


def test_scheduled_article_appears_by_itself_when_due(client):
    article = ArticleFactory(
        status=Status.SCHEDULED, published_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/").content.decode()
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get("/").content.decode()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_unpublished_articles_are_hidden_but_editors_can_preview(client, status):
    article = ArticleFactory(status=status, title="Not yet")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/preview/{article.pk}/").status_code == 404
    editor = User.objects.create_user("ed", password="pw-for-tests-1", is_staff=True)
    client.force_login(editor)
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 200
    assert "Preview: this article is" in response.content.decode()


def test_retracted_article_says_so_with_410(client):
    article = ArticleFactory(status=Status.RETRACTED)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "retracted" in response.content.decode()


def test_members_article_shows_teaser_only_to_anonymous_readers(client):
    secret = "The ministry has quietly moved the reserve brigade south."
    article = ArticleFactory(
        access=Access.MEMBERS,
        teaser="A teaser everyone may read.",
        body=f"Opening paragraph.\n\n{secret}",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "A teaser everyone may read." in html
    assert secret not in html
    assert "This analysis is for members" in html
    assert ld_json(html)["isAccessibleForFree"] is False
    editor = User.objects.create_user("ed", password="pw-for-tests-1", is_staff=True)
    client.force_login(editor)
    assert secret in client.get(article.get_absolute_url()).content.decode()


def test_registered_article_needs_an_account(client):
    # without a teaser, the first paragraph is what everyone sees
    article = ArticleFactory(
        access=Access.REGISTERED,
        body="An opening paragraph that serves as the teaser for this piece.\n\n"
        "Body for account holders only.",
    )
    assert "An opening paragraph" in client.get(article.get_absolute_url()).content.decode()
    assert (
        "Body for account holders only."
        not in client.get(article.get_absolute_url()).content.decode()
    )
    client.force_login(User.objects.create_user("reader", password="pw-for-tests-1"))
    assert (
        "Body for account holders only." in client.get(article.get_absolute_url()).content.decode()
    )


def test_home_has_lead_then_sections_by_type_and_regions(client):
    now = timezone.now()
    ArticleFactory(
        title="Older forecast", type=ArticleType.FORECAST, published_at=now - dt.timedelta(days=3)
    )
    for n in range(6):  # fill "Latest", so the forecast shows in its own section
        ArticleFactory(title=f"Recent {n}", published_at=now - dt.timedelta(hours=2 + n))
    ArticleFactory(title="The lead story", published_at=now - dt.timedelta(hours=1))
    html = client.get("/").content.decode()
    assert re.search(r'<h1 class="lead-title"><a [^>]*>The lead story</a>', html)
    assert 'id="h-forecast"' in html and "Older forecast" in html
    assert "Sub-Saharan Africa" in html and "Middle East &amp; North Africa" in html
    assert 'action="/search/"' in html


def test_region_and_country_pages_list_newest_first(client):
    now = timezone.now()
    ArticleFactory(title="Senegal older", countries=["SN"], published_at=now - dt.timedelta(3))
    ArticleFactory(title="Mali newer", countries=["ML"], published_at=now - dt.timedelta(1))
    ArticleFactory(title="Japan elsewhere", countries=["JP"])
    region = client.get("/regions/sub-saharan-africa/").content.decode()
    assert region.index("Mali newer") < region.index("Senegal older")
    assert "Japan elsewhere" not in region
    country = client.get("/countries/senegal/").content.decode()
    assert "Senegal older" in country and "Mali newer" not in country


def test_regions_index_lists_every_iso_country(client):
    html = client.get("/regions/").content.decode()
    for name in ("Mali", "Germany", "Russia", "Iran", "Fiji", "Brazil", "Canada", "India", "Japan"):
        assert f">{name}</a>" in html


def test_search_page_highlights_and_hides_members_body(client):
    ArticleFactory(title="Grain corridor talks", body="Negotiators discussed the grain corridor.")
    ArticleFactory(
        title="Members piece",
        access=Access.MEMBERS,
        teaser="A public teaser.",
        body="A confidential note about the grain corridor and tankers.",
    )
    html = client.get("/search/", {"q": "grain corridor"}).content.decode()
    # the members' body is not searched for an anonymous reader: no oracle for hidden text
    assert "1 result " in html
    assert "<mark>grain</mark> <mark>corridor</mark>" in html
    assert "confidential note" not in html and "Members piece" not in html
    client.force_login(User.objects.create_user("ed", password="pw-for-tests-1", is_staff=True))
    html = client.get("/search/", {"q": "grain corridor"}).content.decode()
    assert "2 results" in html and "confidential note" in html


def test_search_page_survives_hostile_queries(client):
    ArticleFactory(title="Crisis in the Gulf")
    for query in ['"unbalanced', "OR", "NOT AND (", "*", "-", "x" * 10_000, "title:", "^^^"]:
        assert client.get("/search/", {"q": query}).status_code == 200


def test_unknown_pages_are_404(client):
    assert client.get("/articles/no-such-thing/").status_code == 404
    assert client.get("/countries/atlantis/").status_code == 404


def test_search_cannot_probe_members_only_text(client):
    ArticleFactory(
        title="Members piece",
        access=Access.MEMBERS,
        teaser="A public teaser.",
        body="Intro.\n\nDetails of the submarine tender.",
    )
    for query in ["submarine", '"submarine tender"', "subm*", "tender"]:
        html = client.get("/search/", {"q": query}).content.decode()
        assert "0 results" in html, query
    assert client.get("/api/v1/search", {"q": "submarine"}).json()["total"] == 0
    html = client.get("/search/", {"q": "teaser"}).content.decode()
    assert "1 result " in html  # title and teaser are for everyone


def test_home_never_shows_a_story_twice(client):
    for n in range(12):
        ArticleFactory(title=f"Story {n:02d}", type=ArticleType.FORECAST if n % 2 else "analysis")
    html = client.get("/").content.decode()
    for n in range(12):
        assert html.count(f"Story {n:02d}<") <= 1


def test_absurd_page_numbers_do_not_crash(client):
    ArticleFactory(title="Anything at all")
    assert client.get("/search/", {"q": "anything", "page": "9" * 30}).status_code == 200
    assert client.get("/api/v1/search", {"q": "anything", "offset": "9" * 25}).status_code in (
        200,
        422,
    )
