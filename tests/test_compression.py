"""HTML and JSON go out gzip-compressed to clients that ask for it (issue 15), and as they are
to clients that do not; static files keep WhiteNoise's own pre-compressed copies."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from geopol.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PARAGRAPH = "The convoy left Gao at dawn and reached the river crossing by noon. " * 40


@pytest.fixture
def article():
    return ArticleFactory(title="Convoys on the Niger", body=PARAGRAPH, countries=["ML"])


@pytest.mark.parametrize("path", ["/", "article", "/api/v1/articles", "/countries/mali/"])
def test_pages_and_json_are_compressed_for_clients_that_accept_gzip(article, path):
    url = article.get_absolute_url() if path == "article" else path
    plain = Client().get(url)
    packed = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    text = gzip.decompress(packed.content).decode()
    assert "Convoys on the Niger" in text
    # Django pads each gzip response with up to 100 random bytes against BREACH: a small
    # JSON page is smaller, an HTML page less than half
    ratio = 1 if path.startswith("/api/") else 0.5
    assert len(packed.content) < len(plain.content) * ratio


def test_article_text_survives_compression_byte_for_byte(article):
    url = article.get_absolute_url()
    plain = Client().get(url).content
    packed = Client().get(url, HTTP_ACCEPT_ENCODING="gzip").content
    assert gzip.decompress(packed) == plain
