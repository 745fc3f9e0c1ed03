"""Article Search as a member uses it: facets that follow the query, removable filter chips,
order, pages, "did you mean" and suggestions as one types."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from geopol.articles.models import Access, ArticleType
from geopol.articles.search import refresh_suggestions, search_articles
from geopol.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def archive():
    ArticleFactory(
        title="Mali: the junta and the jihadists",
        body="The intervention force withdrew from Mopti.",
        countries=["ML"],
        type=ArticleType.ANALYSIS,
        published_at=NOW - dt.timedelta(days=400),
    )
    ArticleFactory(
        title="Niger after the coup",
        body="An intervention by ECOWAS looked likely for weeks.",
        countries=["NE", "ML"],
        type=ArticleType.FORECAST,
        published_at=NOW - dt.timedelta(days=30),
    )
    ArticleFactory(
        title="Baltic cables",
        body="Investigators examined the anchor of a tanker.",
        countries=["FI"],
        published_at=NOW - dt.timedelta(days=3),
    )


def facet(html, name):
    block = re.search(rf"<h2>{name}</h2>\s*<ul>(.*?)</ul>", html, re.S)
    if not block:
        return {}
    pairs = re.findall(r'<a href="[^"]*">([^<]+)</a> <span class="count">≈?([\d,]+)', block[1])
    return {label: int(count.replace(",", "")) for label, count in pairs}


def test_facet_counts_follow_the_query(client, archive):
    html = client.get("/search/", {"q": "intervention"}).content.decode()
    assert "2 results" in html
    assert facet(html, "Country") == {"Mali": 2, "Niger": 1}
    assert facet(html, "Type") == {"Analysis": 1, "Forecast": 1}
    html = client.get("/search/", {"q": "anchor"}).content.decode()
    assert facet(html, "Country") == {"Finland": 1}


def test_picking_a_facet_filters_and_shows_a_removable_chip(client, archive):
    html = client.get("/search/", {"q": "intervention"}).content.decode()
    link = re.search(r'<a href="([^"]+)">Forecast</a>', html)[1].replace("&amp;", "&")
    html = client.get(link).content.decode()
    assert "1 result " in html and "Niger after the coup" in html and "junta" not in html
    chip = re.search(r'<a class="chip" href="([^"]+)"[^>]*>Type: Forecast', html)
    assert chip, "the filter shows as a chip"
    html = client.get(chip[1].replace("&amp;", "&")).content.decode()
    assert "2 results" in html


def test_typed_filters_become_chips_that_edit_the_query(client, archive):
    html = client.get("/search/", {"q": "intervention country:Niger"}).content.decode()
    assert "1 result " in html and "Niger after the coup" in html
    chip = re.search(r'<a class="chip" href="([^"]+)"[^>]*>Country: Niger', html)[1]
    assert "q=intervention" in chip and "country" not in chip.split("q=")[1]


def test_dates_filters_and_newest_first(client, archive):
    year = str((NOW - dt.timedelta(days=30)).year)
    html = client.get("/search/", {"q": f"intervention from:{year}"}).content.decode()
    assert "Niger after the coup" in html
    html = client.get("/search/", {"q": "intervention", "sort": "date"}).content.decode()
    assert html.index("Niger after the coup") < html.index("Mali: the junta")


def test_unknown_filter_value_says_so(client, archive):
    html = client.get("/search/", {"q": "country:Atlantis"}).content.decode()
    assert "Nothing is tagged country" in html and "0 results" in html


def test_did_you_mean_offers_a_spelling_that_finds_something(client, archive):
    html = client.get("/search/", {"q": "interventon"}).content.decode()
    assert "Did you mean" in html and "<strong>intervention</strong>" in html
    html = client.get("/search/", {"q": "qwxzzy"}).content.decode()
    assert "Did you mean" not in html


def test_word_families_and_diacritics(archive):
    assert len(search_articles("intervene").items) == 2
    ArticleFactory(title="The road to Léré", body="Sévaré airport reopened.")
    assert [i.article.title for i in search_articles("Sevare lere").items] == ["The road to Léré"]


def test_pages_link_to_each_other(client):
    for n in range(25):
        ArticleFactory(title=f"Sahel note {n}", body="Drought and displacement.")
    html = client.get("/search/", {"q": "drought"}).content.decode()
    assert "Page 1 of 2" in html
    nxt = re.search(r'<a rel="next" href="([^"]+)"', html)[1].replace("&amp;", "&")
    assert "Page 2 of 2" in client.get(nxt).content.decode()


def test_suggestions_as_one_types(client, archive):
    refresh_suggestions()
    data = client.get("/search/suggest", {"q": "nig"}).json()["suggestions"]
    labels = [(s["kind"], s["label"]) for s in data]
    assert ("country", "Niger") in labels and ("country", "Nigeria") in labels
    assert ("article", "Niger after the coup") in labels
    assert client.get("/search/suggest", {"q": "n"}).json() == {"suggestions": []}


def test_members_titles_are_suggested_but_bodies_never_match_for_readers(client):
    ArticleFactory(
        title="Members brief on Sahel gold",
        body=(
            "Gold from the northern mines now flows through new hands.\n\n"
            "Secret convoy routes run through Kidal."
        ),
        access=Access.MEMBERS,
    )
    assert search_articles("convoy").total == 0
    data = client.get("/search/suggest", {"q": "members brief"}).json()["suggestions"]
    assert [s["label"] for s in data] == ["Members brief on Sahel gold"]


def test_every_reader_filters_by_the_countries_of_a_restricted_piece(client):
    """Countries, the machine's too, are public metadata: an anonymous reader finds a
    members-only piece by country:DZ and counts it in the facets (the paywall shows what a
    piece is about); the body's words still match only for members."""
    from django.contrib.auth.models import Permission, User

    from geopol.articles.services import set_machine_countries, sync_search_index

    article = ArticleFactory(
        title="Members brief on Sahel gold",
        body="Gold from the northern mines now flows through new hands.\n\nSmugglers.",
        access=Access.MEMBERS,
        countries=["ML"],
    )
    set_machine_countries(article, [("DZ", False)])
    sync_search_index([article])
    assert search_articles("country:DZ").total == 1
    assert search_articles("smugglers").total == 0, "body words stay hidden"
    member = User.objects.create_user("m", password="x")
    member.user_permissions.add(Permission.objects.get(codename="read_members"))
    member = User.objects.get(pk=member.pk)
    assert search_articles("smugglers", user=member).total == 1
    results = search_articles("country:DZ", user=member, facets=("country",))
    assert results.total == 1
    assert {v.value for v in results.facets["country"]} == {"ML", "DZ"}
    anonymous = search_articles("gold", facets=("country",))
    assert {v.value for v in anonymous.facets["country"]} == {"ML", "DZ"}


def test_did_you_mean_reveals_nothing_of_hidden_bodies(client):
    ArticleFactory(title="Kidal", body="The road north is open again for trucks and buses.")
    ArticleFactory(
        title="Members brief",
        body=(
            "Gold from the northern mines now flows through new hands.\n\n"
            "The colonel kidel met them."
        ),
        access=Access.MEMBERS,
    )
    hidden = client.get("/api/v1/search", {"q": "kidel"}).json()
    absent = client.get("/api/v1/search", {"q": "kidol"}).json()
    assert hidden["total"] == absent["total"] == 0
    assert hidden["did_you_mean"] == absent["did_you_mean"] == "kidal"


def test_places_named_in_public_analyses_complete_and_correct_spelling(client):
    ArticleFactory(
        title="Central Mali",
        body="Fighters moved from Douentza toward Mopti and Sevare in central Mali overnight.",
        countries=["ML"],
    )
    refresh_suggestions()
    data = client.get("/search/suggest", {"q": "doue"}).json()["suggestions"]
    assert ("place", "Douentza") in [(s["kind"], s["label"]) for s in data]
    html = client.get("/search/", {"q": "Douenza"}).content.decode()
    assert "Did you mean" in html and "douentza" in html.split("Did you mean")[1][:200].lower()
