import pytest

from geopol.articles.models import Access, Status
from geopol.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SECRET = "Only members may read this sentence about the reserve fleet."


@pytest.fixture
def articles():
    ArticleFactory(title="Open piece", body="Everyone may read this open paragraph.")
    ArticleFactory(
        title="Members piece",
        access=Access.MEMBERS,
        teaser="Public teaser.",
        body=f"Intro.\n\n{SECRET}",
    )
    ArticleFactory(title="Draft piece", status=Status.DRAFT)


@pytest.mark.parametrize("url", ["/feeds/latest.rss", "/feeds/latest.atom"])
def test_feeds_give_full_public_text_and_only_teasers_otherwise(client, articles, url):
    body = client.get(url).content.decode()
    assert "Open piece" in body and "Members piece" in body
    assert "Everyone may read this open paragraph." in body
    assert "Public teaser." in body
    assert SECRET not in body
    assert "Draft piece" not in body


def test_sitemap_lists_published_articles_regions_and_active_countries(client, articles):
    ArticleFactory(title="Tagged", countries=["KE"])
    body = client.get("/sitemap.xml").content.decode()
    assert "/articles/" in body and "/regions/east-asia/" in body
    assert "/countries/kenya/" in body and "/countries/japan/" not in body
    assert "draft" not in body.lower()
    assert SECRET not in body


def test_robots_points_to_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
