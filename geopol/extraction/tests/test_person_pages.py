"""Person pages, the persons index and the actors index as a reader uses them: offices with
their countries and years, who else the analyses name, search in any spelling, filters,
A-Z, pages that cost the same queries wherever they are, follows and `actor:` for persons."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geopol.articles.search import search_articles
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.directory import PER_PAGE
from geopol.extraction.models import Actor
from geopol.extraction.search import resolve_actor
from geopol.extraction.services import tag_article

pytestmark = pytest.mark.django_db

SYRIA = (
    "President Bashar al-Assad met Recep Tayyip Erdoğan in Sochi while Hayat Tahrir al-Sham "
    "held Idlib. Assad asked for the border crossings; Erdogan refused."
)


def names_on(page: str) -> list[str]:
    return re.findall(r'<a class="name" href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def syria_piece():
    article = ArticleFactory(title="Syria: the Idlib bargain", body=SYRIA)
    tag_article(article)
    return article


def test_a_person_page_lists_offices_and_who_else_is_named(client, syria_piece):
    page = client.get("/actors/bashar-al-assad/").content.decode()
    assert '<a href="/persons/">Persons</a>' in page
    roles = page.split('class="role-list"', 1)[1].split("</ul>", 1)[0]
    assert "President" in roles and 'href="/countries/syria/"' in roles
    assert "2000–2024" in roles
    persons, actors = page.split("Persons named with them", 1)[1].split("Actors named with them")
    assert "Recep Tayyip Erdoğan" in persons and "Hayat Tahrir al-Sham" not in persons
    assert "Hayat Tahrir al-Sham" in actors
    assert "Syria: the Idlib bargain" in page
    # a person still in office: "since"
    page = client.get("/actors/recep-tayyip-erdogan/").content.decode()
    assert "since 2014" in page


def test_the_persons_index_lists_the_registry_by_pages_with_latest_offices(client, syria_piece):
    first = client.get("/persons/")
    assert first.context["page"].paginator.count >= 2000
    page = first.content.decode()
    # the persons an analysis names come first, with their count
    assert names_on(page)[:2] == ["Bashar al-Assad", "Recep Tayyip Erdoğan"]
    assert "President, Turkey, since 2014" in page or "President, Türkiye, since 2014" in page
    second = client.get("/persons/?page=2").content.decode()
    assert len(names_on(second)) == PER_PAGE and not set(names_on(second)) & set(names_on(page))
    assert 'href="?page=3"' in second and 'href="?page=1"' in second


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("q=erdogan", "Recep Tayyip Erdoğan", "Bashar al-Assad"),  # no diacritics typed
        ("q=Jolani", "Ahmed al-Sharaa", "Bashar al-Assad"),  # a name he is also written by
        ("country=SY", "Bashar al-Assad", "Recep Tayyip Erdoğan"),
        ("letter=R", "Recep Tayyip Erdoğan", "Bashar al-Assad"),
    ],
)
def test_the_persons_index_finds_by_any_spelling_country_and_letter(
    client, syria_piece, query, present, absent
):
    page = client.get(f"/persons/?{query}").content.decode()
    assert present in names_on(page) and absent not in names_on(page)


def test_a_letter_lists_a_to_z_and_keeps_the_other_filters(client, syria_piece):
    page = client.get("/persons/?letter=B&country=SY").content.decode()
    names = names_on(page)
    assert names == sorted(names) and all(n.startswith("B") for n in names)
    assert "Bashar al-Assad" in names
    assert 'href="?country=SY&amp;letter=C"' in page  # the next letter keeps the country


def test_the_actors_index_filters_by_kind_and_names(client, syria_piece):
    everyone = names_on(client.get("/actors/").content.decode())
    assert {"Bashar al-Assad", "Hayat Tahrir al-Sham"} <= set(everyone)
    groups = names_on(client.get("/actors/?kind=armed-group").content.decode())
    assert "Hayat Tahrir al-Sham" in groups and "Bashar al-Assad" not in groups
    assert names_on(client.get("/actors/?q=tahrir").content.decode()) == ["Hayat Tahrir al-Sham"]
    page = client.get("/actors/?q=no+such+name").content.decode()
    assert "Nothing matches" in page


def test_index_pages_cost_the_same_queries_wherever_they_are(client, syria_piece):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    first = queries("/persons/")
    assert first <= 12
    assert queries("/persons/?page=20") == first
    assert queries("/persons/?country=US&page=2") == first
    # more analyses naming more actors: the same cost
    actors = queries("/actors/")
    for n in range(5):
        tag_article(ArticleFactory(title=f"Brief {n}", body=SYRIA + " Ansar Dine and AQIM too."))
    assert queries("/actors/") == actors


def test_a_person_is_followed_from_the_page_and_their_analyses_reach_my_geopol(
    client, syria_piece, django_user_model
):
    user = django_user_model.objects.create_user("reader", "r@example.org", "a long passphrase")
    client.force_login(user)
    page = client.get("/actors/bashar-al-assad/").content.decode()
    assert "Follow Bashar al-Assad" in page
    response = client.post("/follow/actor/bashar-al-assad/", {"action": "follow"})
    assert response.status_code == 302
    assert "You follow Bashar al-Assad" in client.get("/actors/bashar-al-assad/").content.decode()
    assert "Syria: the Idlib bargain" in client.get("/my/").content.decode()


def test_actor_filter_in_search_finds_a_person_by_any_of_their_names(syria_piece):
    ArticleFactory(title="Ankara and the lira", body="The central bank in Ankara cut rates.")
    assert resolve_actor("Erdogan") == []  # a surname alone names no one
    for typed in ["recep-tayyip-erdogan", '"Recep Tayyip Erdogan"', '"recep tayyip erdoğan"']:
        titles = [i.article.title for i in search_articles(f"actor:{typed}").items]
        assert titles == ["Syria: the Idlib bargain"], typed
    assert Actor.objects.get(slug="recep-tayyip-erdogan").is_person
