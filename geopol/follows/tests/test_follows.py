"""Following from the pages, My Geopol with its reasons, and the reading list."""

import re

import pytest
from django.test import Client

from geopol.articles.models import Access, Author, Topic
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import Actor, ArticleEntity, EntityKind
from geopol.follows import services
from geopol.follows.models import Bookmark, Follow, Frequency
from geopol.geo.models import Country, Region

pytestmark = pytest.mark.django_db


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_follow_and_unfollow_a_country_with_a_plain_form(make_user):
    user = make_user("ana")
    client = csrf_client(user)
    page = client.get("/countries/mali/").content.decode()
    assert "Follow Mali" in page
    # without the CSRF token the form is refused
    assert client.post("/follow/country/ML/", {"action": "follow"}).status_code == 403
    response = client.post(
        "/follow/country/ML/",
        {"action": "follow", "next": "/countries/mali/", "csrfmiddlewaretoken": token_from(page)},
    )
    assert response.status_code == 302 and response["Location"] == "/countries/mali/"
    assert Follow.objects.filter(user=user, kind="country", key="ML").exists()
    page = client.get("/countries/mali/").content.decode()
    # the confirmation shows on the page the member returns to
    assert "Following Mali" in page and "You follow Mali" in page
    assert "the 1 subject you follow" in client.get("/my/").content.decode()
    client.post(
        "/follow/country/ML/", {"action": "unfollow", "csrfmiddlewaretoken": token_from(page)}
    )
    assert not Follow.objects.filter(user=user).exists()


def test_every_followable_page_has_its_button(make_user, client):
    topic = Topic.objects.create(name="Energy", slug="energy")
    author = Author.objects.create(name="Jane Roe", slug="jane-roe")
    client.force_login(make_user("ben"))
    for url, label in [
        ("/regions/sub-saharan-africa/", "Follow Sub-Saharan Africa"),
        ("/countries/mali/", "Follow Mali"),
        ("/actors/aqim/", "Follow al Qaeda in the Islamic Maghreb"),
        (topic.get_absolute_url(), "Follow Energy"),
        (author.get_absolute_url(), "Follow Jane Roe"),
    ]:
        assert label in client.get(url).content.decode(), url


def test_anonymous_readers_are_asked_to_log_in(client):
    page = client.get("/countries/mali/").content.decode()
    assert "Sign in to follow Mali" in page
    response = client.post("/follow/country/ML/", {"action": "follow"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/my/").status_code == 302


def test_next_never_leaves_the_site(make_user, client):
    client.force_login(make_user("cat"))
    response = client.post(
        "/follow/country/ML/", {"action": "follow", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/countries/mali/"


@pytest.mark.parametrize(
    "target", ["AAAA", "follows:manage", "javascript:alert(1)", "//evil.example/"]
)
def test_a_next_that_is_no_path_goes_back_to_the_page_after_saving(make_user, client, target):
    user = make_user("kit")
    client.force_login(user)
    article = ArticleFactory(title="Niger: the uranium question", countries=["NE"])
    saved = client.post(f"/bookmark/{article.pk}/", {"next": target})
    assert saved.status_code == 302 and saved["Location"] == article.get_absolute_url()
    followed = client.post("/follow/country/ML/", {"action": "follow", "next": target})
    assert followed.status_code == 302 and followed["Location"] == "/countries/mali/"
    assert user.bookmarks.count() == 1
    assert client.post("/follow/country/ML/", {"next": "/my/"})["Location"] == "/my/"


def test_my_geopol_lists_matches_newest_first_with_reasons(make_user, client):
    user = make_user("dan")
    mali = ArticleFactory(title="Mali: the junta and the north", countries=["ML"])
    france = ArticleFactory(title="France rethinks Barkhane", countries=["FR", "ML"])
    ArticleFactory(title="Peru votes", countries=["PE"])
    actor_piece = ArticleFactory(title="An actor piece", countries=["DZ"])
    ArticleEntity.objects.create(
        article=actor_piece,
        kind=EntityKind.ACTOR,
        key="aqim",
        name="al Qaeda in the Islamic Maghreb",
        actor=Actor.objects.get(slug="aqim"),
        mentions=3,
    )
    services.follow(user, Country.objects.get(code="ML"))
    services.follow(user, Actor.objects.get(slug="aqim"))
    client.force_login(user)
    page = client.get("/my/").content.decode()
    titles = re.findall(r'class="card-title"><a [^>]+>([^<]+)</a>', page)
    assert titles == [actor_piece.title, france.title, mali.title]  # newest first (factory ids)
    assert "Peru votes" not in page
    assert "You follow Mali (primary country)" in page
    assert "You follow Mali (tagged)" in page  # France's piece has Mali as second country
    assert "You follow al Qaeda in the Islamic Maghreb (mentioned 3 times)" in page


def test_my_geopol_is_paginated(make_user, client):
    user = make_user("eve")
    for n in range(23):
        ArticleFactory(title=f"Sahel note {n}", countries=["ML"])
    services.follow(user, Region.objects.get(slug="sub-saharan-africa"))
    client.force_login(user)
    first = client.get("/my/").content.decode()
    assert first.count('class="feed-item"') == 20 and "Page 1 of 2" in first
    second = client.get("/my/?page=2").content.decode()
    assert second.count('class="feed-item"') == 3
    assert "You follow Sub-Saharan Africa (via Mali, primary country)" in second


def test_my_geopol_hides_what_a_hidden_body_mentions(make_user, client):
    """A free member following France finds a members-only analysis the machine tagged with
    France (countries are public metadata), but one following an actor named only in its
    hidden body does not learn of it; a member who may read it does."""
    hidden = ArticleFactory(title="Members piece on Mali", countries=["ML"], access=Access.MEMBERS)
    ArticleEntity.objects.create(
        article=hidden, kind=EntityKind.COUNTRY, key="FR", name="France", mentions=2
    )
    hidden.country_links.create(country_id="FR", position=1, primary=False, by_editor=False)
    actor = Actor.objects.create(slug="northern-front", name="Northern Front", kind="armed-group")
    ArticleEntity.objects.create(
        article=hidden,
        kind=EntityKind.ACTOR,
        key=actor.slug,
        name=actor.name,
        actor=actor,
        mentions=1,
    )
    free, member = make_user("fay"), make_user("gus", members=True)
    for user in (free, member):
        services.follow(user, Country.objects.get(code="FR"))
    services.follow(free, actor)
    client.force_login(free)
    page = client.get("/my/").content.decode()
    assert "Members piece on Mali" in page and "You follow France" in page
    assert "Northern Front" not in page.split("Members piece on Mali", 1)[1][:400]
    client.force_login(member)
    page = client.get("/my/").content.decode()
    assert "Members piece on Mali" in page and "You follow France (mentioned 2 times)" in page


def test_a_member_cannot_see_or_change_another_members_follows(make_user, client):
    owner, other = make_user("hal"), make_user("ida")
    follow = services.follow(owner, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    ArticleFactory(title="Only for Mali followers", countries=["ML"])
    client.force_login(other)
    assert "Only for Mali followers" not in client.get("/my/").content.decode()
    assert "Mali" not in client.get("/my/follows/").content.decode()
    response = client.post("/my/follows/", {"follow": follow.pk, "frequency": "none"})
    assert response.status_code == 404
    follow.refresh_from_db()
    assert follow.frequency == Frequency.IMMEDIATE


def test_manage_page_changes_how_often(make_user, client):
    user = make_user("jo")
    follow = services.follow(user, Country.objects.get(code="ML"))
    client.force_login(user)
    page = client.get("/my/follows/").content.decode()
    assert ">Mali</a>" in page and "Daily digest" in page
    client.post("/my/follows/", {"follow": follow.pk, "frequency": "immediate"})
    follow.refresh_from_db()
    assert follow.frequency == Frequency.IMMEDIATE


def test_bookmarks_are_private_to_their_owner(make_user, client):
    owner, other = make_user("kim"), make_user("lee")
    article = ArticleFactory(title="Saved for the weekend")
    client.force_login(owner)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Save for later" in page
    response = client.post(f"/bookmark/{article.pk}/", {"next": article.get_absolute_url()})
    assert response.status_code == 302
    assert Bookmark.objects.filter(user=owner, article=article).exists()
    assert "Saved for the weekend" in client.get("/my/reading-list/").content.decode()
    assert "Remove from reading list" in client.get(article.get_absolute_url()).content.decode()
    client.force_login(other)
    assert "Saved for the weekend" not in client.get("/my/reading-list/").content.decode()
    client.force_login(owner)
    client.post(f"/bookmark/{article.pk}/")  # pressing again removes it
    assert not Bookmark.objects.exists()
    assert Client().get("/my/reading-list/").status_code == 302
