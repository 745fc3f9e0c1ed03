"""With GEOPOL_SITE_URL unset, absolute links come from the address the site is reached at;
emails sent without a request (the worker) use the last address seen, or say why not."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from geopol.articles.tests.factories import ArticleFactory
from geopol.core import siteurl

pytestmark = pytest.mark.django_db


@pytest.fixture
def unset(settings):
    settings.GEOPOL_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "geopol.example"]
    siteurl._remembered = ""
    yield
    siteurl._remembered = ""


def test_canonical_and_opengraph_follow_the_requests_host(unset):
    article = ArticleFactory(title="Niger: Talks Open", countries=["NE"])
    one = Client(HTTP_HOST="localhost:8123").get(article.get_absolute_url()).text
    assert f'rel="canonical" href="http://localhost:8123{article.get_absolute_url()}"' in one
    assert f'og:url" content="http://localhost:8123{article.get_absolute_url()}"' in one
    assert '"url": "http://localhost:8123"' in one  # JSON-LD publisher
    # the same cached page, reached at another address, links to that address
    other = Client(HTTP_HOST="geopol.example").get(article.get_absolute_url()).text
    assert f'href="http://geopol.example{article.get_absolute_url()}"' in other
    assert "localhost:8123" not in other


def test_a_configured_site_url_wins(settings):
    settings.GEOPOL_SITE_URL = "https://intel.example.org"
    article = ArticleFactory()
    page = Client(HTTP_HOST="localhost:8123").get(article.get_absolute_url()).text
    assert f'href="https://intel.example.org{article.get_absolute_url()}"' in page


def test_the_worker_uses_the_last_address_seen_or_warns(unset, caplog):
    cache.delete(siteurl.CACHE_KEY)
    with caplog.at_level(logging.WARNING, logger="geopol.core.siteurl"):
        assert siteurl.site_url() == "http://127.0.0.1:8000"
    assert "GEOPOL_SITE_URL is not set" in caplog.text
    Client(HTTP_HOST="localhost:8123").get("/")
    assert siteurl.site_url() == "http://localhost:8123"
    from geopol.follows.emails import absolute

    assert absolute("/my/") == "http://localhost:8123/my/"


def test_the_private_feed_address_follows_the_host(unset):
    from django.contrib.auth import get_user_model

    from geopol.follows import services

    user = get_user_model().objects.create_user("pf", "pf@example.org", "a long passphrase 1")
    services.rotate_private_feed(user)
    client = Client(HTTP_HOST="localhost:8123")
    client.force_login(user)
    page = client.get("/my/follows/").text
    assert "http://localhost:8123/feeds/private/" in page
