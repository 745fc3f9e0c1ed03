import re

import pytest

from geopol.articles.models import Access, Article, Status
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


def sitemap_text(client) -> str:
    """Every sitemap file the index at /sitemap.xml lists, joined."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and "<sitemapindex" in index.content.decode()
    locs = re.findall(r"<loc>http://testserver([^<]+)</loc>", index.content.decode())
    assert locs, "the sitemap index lists no sitemap"
    return "".join(client.get(loc.replace("&amp;", "&")).content.decode() for loc in locs)


def test_sitemap_lists_published_articles_regions_and_active_countries(client, articles):
    ArticleFactory(title="Tagged", countries=["KE"])
    body = sitemap_text(client)
    assert "/articles/" in body and "/regions/east-asia/" in body
    assert "/countries/kenya/" in body and "/countries/japan/" not in body
    assert "draft" not in body.lower()
    assert SECRET not in body


def test_sitemap_index_pages_a_large_archive_so_every_article_is_listed_once(
    client, articles, monkeypatch
):
    """Past `limit` URLs a section is split into pages, each listed in the index (the
    protocol allows 50,000 URLs a file; here 2, so that five pieces need three files)."""
    from geopol.articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    ArticleFactory.create_batch(3)
    index = client.get("/sitemap.xml").content.decode()
    assert index.count("sitemap-articles.xml") == 3
    listed = re.findall(r"<loc>http://testserver(/articles/[^<]+)</loc>", sitemap_text(client))
    published = {a.get_absolute_url() for a in Article.objects.published()}
    assert len(published) == 5
    assert sorted(listed) == sorted(published)


def test_robots_points_to_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
