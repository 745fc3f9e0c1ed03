"""The editor's preview, seen as an anonymous reader, a free account or a member."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from geopol.articles.models import Access, Status
from geopol.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
HIDDEN = "The commander said the pass would close before the first snow."


@pytest.fixture
def editor_client(client):
    client.force_login(User.objects.create_user("ed", password="pw-tests-1", is_staff=True))
    return client


def test_preview_switches_between_reader_kinds(editor_client):
    article = ArticleFactory(
        title="Members draft on the pass",
        access=Access.MEMBERS,
        status=Status.DRAFT,
        teaser="Why the pass matters.",
        body=f"Why the pass matters.\n\n{HIDDEN}",
        countries=["AF"],
    )
    url = f"/preview/{article.pk}/"
    own = editor_client.get(url).content.decode()
    assert HIDDEN in own
    assert "View as:" in own and '<strong aria-current="page">Editor</strong>' in own
    assert f'href="{url}?as=anonymous"' in own
    anonymous = editor_client.get(url, {"as": "anonymous"}).content.decode()
    assert HIDDEN not in anonymous and "Why the pass matters." in anonymous
    assert "This analysis is for members" in anonymous
    assert "Sign in" in anonymous, "the paywall as a signed-out reader sees it"
    assert 'href="/countries/afghanistan/"' in anonymous
    free = editor_client.get(url, {"as": "registered"}).content.decode()
    assert HIDDEN not in free and "This analysis is for members" in free
    member = editor_client.get(url, {"as": "member"}).content.decode()
    assert HIDDEN in member and '<strong aria-current="page">Member</strong>' in member
    # an unknown value is the editor's own view, and readers never get the switch
    assert HIDDEN in editor_client.get(url, {"as": "root"}).content.decode()


def test_registered_pieces_read_in_full_as_a_free_account(editor_client):
    article = ArticleFactory(access=Access.REGISTERED, teaser="Intro.", body=f"Intro.\n\n{HIDDEN}")
    url = f"/preview/{article.pk}/"
    assert HIDDEN not in editor_client.get(url, {"as": "anonymous"}).content.decode()
    assert HIDDEN in editor_client.get(url, {"as": "registered"}).content.decode()


def test_readers_pages_have_no_switch_and_ignore_as(client):
    article = ArticleFactory(access=Access.MEMBERS, teaser="Intro.", body=f"Intro.\n\n{HIDDEN}")
    page = client.get(article.get_absolute_url(), {"as": "member"}).content.decode()
    assert HIDDEN not in page and "View as:" not in page
