"""Public feeds per region, country and topic; the private feed and its token."""

import secrets

import pytest
from django.test import Client

from geopol.articles.models import Access, Topic
from geopol.articles.tests.factories import ArticleFactory
from geopol.follows import services
from geopol.follows.models import PrivateFeed
from geopol.geo.models import Country

pytestmark = pytest.mark.django_db

SECRET = "The convoy will probably reach Gao before the rains."


@pytest.fixture
def articles():
    energy = Topic.objects.create(name="Energy", slug="energy")
    public = ArticleFactory(title="Open piece", countries=["ML"], body="Open words in Bamako.")
    hidden = ArticleFactory(
        title="Members piece",
        countries=["ML"],
        access=Access.MEMBERS,
        teaser="A teaser anyone may read.",
        body=f"First paragraph.\n\n{SECRET}",
    )
    # a country the geoparser found in the members-only body
    hidden.country_links.create(country_id="NE", position=1, primary=False, by_editor=False)
    for article in (public, hidden):
        article.topics.add(energy)
    return public, hidden


@pytest.mark.parametrize(
    "url",
    [
        "/regions/sub-saharan-africa/feed.atom",
        "/regions/sub-saharan-africa/feed.rss",
        "/countries/mali/feed.atom",
        "/countries/mali/feed.rss",
        "/topics/energy/feed.atom",
        "/topics/energy/feed.rss",
    ],
)
def test_public_feeds_carry_teasers_only_for_members_articles(articles, client, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Open piece" in body and "Open words in Bamako" in body
    assert "Members piece" in body and "A teaser anyone may read." in body
    assert SECRET not in body


def test_a_country_the_machine_found_lists_the_piece_with_its_teaser_only(articles, client):
    body = Client().get("/countries/niger/feed.atom").content.decode()
    assert "Members piece" in body and "A teaser anyone may read." in body
    assert SECRET not in body


def test_unknown_feeds_are_404(client, db):
    assert client.get("/countries/atlantis/feed.atom").status_code == 404


def test_private_feed_full_text_for_what_the_member_may_read(articles, make_user):
    free, member = make_user("ana"), make_user("ben", members=True)
    feeds = {}
    for user in (free, member):
        services.follow(user, Country.objects.get(code="ML"))
        feeds[user.username] = services.rotate_private_feed(user).token
    anonymous = Client()  # a feed reader: no session
    free_feed = anonymous.get(f"/feeds/private/{feeds['ana']}.atom")
    assert free_feed.status_code == 200 and free_feed["Cache-Control"] == "private, no-store"
    text = free_feed.content.decode()
    assert "Open words in Bamako" in text and "A teaser anyone may read." in text
    assert SECRET not in text
    assert SECRET in anonymous.get(f"/feeds/private/{feeds['ben']}.atom").content.decode()


def test_revoked_rotated_and_guessed_tokens_are_refused(articles, make_user, client):
    user = make_user("cat")
    services.follow(user, Country.objects.get(code="ML"))
    client.force_login(user)
    assert client.post("/my/feed/", {"action": "rotate"}).status_code == 302
    first = PrivateFeed.objects.get(user=user).token
    assert len(first) >= 43  # 256 bits, URL-safe
    assert Client().get(f"/feeds/private/{first}.atom").status_code == 200
    assert first in client.get("/my/follows/").content.decode()
    client.post("/my/feed/", {"action": "rotate"})
    second = PrivateFeed.objects.get(user=user).token
    assert second != first
    assert Client().get(f"/feeds/private/{first}.atom").status_code == 404
    client.post("/my/feed/", {"action": "revoke"})
    assert Client().get(f"/feeds/private/{second}.atom").status_code == 404
    for guess in (secrets.token_urlsafe(32), "", "a", second[:-1]):
        assert Client().get(f"/feeds/private/{guess}.atom").status_code == 404


def test_a_member_cannot_reach_another_members_feed_settings(articles, make_user, client):
    owner, other = make_user("dan"), make_user("eve")
    token = services.rotate_private_feed(owner).token
    client.force_login(other)
    assert token not in client.get("/my/follows/").content.decode()
    client.post("/my/feed/", {"action": "revoke"})  # revokes only their own (none)
    assert PrivateFeed.objects.filter(user=owner, token=token).exists()
