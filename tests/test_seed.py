"""The seed page, end to end: import the scraped page, then read it as a member would."""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from geopol.articles.models import Article
from tests.shared import shared_path

SEED = shared_path("seed/000_4b2a77ebaa4c6e4f.txt")
TITLE = "Mali: A Possible Prelude to Western Intervention"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=f"seed page not found at {SEED}")


class Page(HTMLParser):
    """Collects the text of h1 elements and of the article body's paragraphs."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.h1: list[str] = []
        self.body_paragraphs: list[str] = []
        self.in_body = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "div" and "article-body" in classes:
            self.in_body = 1
        elif tag == "div" and self.in_body:
            self.in_body += 1
        self.stack.append(tag)
        if tag == "h1":
            self.h1.append("")
        if tag == "p" and self.in_body:
            self.body_paragraphs.append("")

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()
        if tag == "div" and self.in_body:
            self.in_body -= 1

    def handle_data(self, data):
        if "h1" in self.stack:
            self.h1[-1] += data
        if self.in_body and "p" in self.stack:
            self.body_paragraphs[-1] += data


def seed_paragraphs() -> list[str]:
    blocks = [b.strip() for b in SEED.read_text().split("\n\n")]
    return [b for b in blocks if len(b.split()) > 40]


@pytest.fixture
def seed_page(db, client):
    call_command("import_articles", str(SEED), stdout=io.StringIO())
    article = Article.objects.get()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return article, response.content.decode()


def test_seed_dateline_reading_time_and_title(seed_page):
    article, html = seed_page
    assert "Jan 11, 2013 | 18:09 GMT" in html
    assert "3 mins read" in html
    page = Page()
    page.feed(html)
    assert [h.strip() for h in page.h1] == [TITLE]
    assert article.word_count == 530


def test_seed_body_has_all_six_paragraphs_and_nothing_else(seed_page):
    article, html = seed_page
    page = Page()
    page.feed(html)
    expected = seed_paragraphs()
    assert len(expected) == 6
    rendered = [" ".join(p.split()) for p in page.body_paragraphs]
    # the typographer turns straight quotes curly; compare words
    assert len(rendered) == 6
    for want, got in zip(expected, rendered, strict=True):
        assert re.sub(r"\W", "", want) == re.sub(r"\W", "", got)
    body = article.body_html
    for chrome in (
        "Connected Content",
        "Regions &amp; Countries",
        "Article Search",
        "Copyright",
        "Stratfor Worldview",
        "To empower members",
    ):
        assert chrome not in body
    assert TITLE not in body


def test_seed_caption_is_a_figure_where_it_stood(seed_page):
    article, _ = seed_page
    figure = article.figures.get()
    assert (figure.kind, figure.caption) == ("map", "Mali Jihadist Battlefield")
    body = article.body_html
    assert "<figcaption>Mali Jihadist Battlefield</figcaption>" in body
    assert body.index("every reason to believe") < body.index("<figure")
    assert body.index("<figure") < body.index("Ansar Dine held control")


def test_seed_reimport_changes_nothing(seed_page):
    out = io.StringIO()
    call_command("import_articles", str(SEED), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["unchanged"], summary["created"]) == (1, 0)
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "Sevare",
        '"special operations forces"',
        "special operations forces",
        "country:ML from:2013-01 to:2013-01",
    ],
)
def test_a_member_finds_the_seed(seed_page, client, query):
    """Issue 4's acceptance searches, through the page a member uses."""
    html = client.get("/search/", {"q": query}).content.decode()
    assert re.search(r"\b1 result\b", html), query
    assert "Prelude to Western" in html
