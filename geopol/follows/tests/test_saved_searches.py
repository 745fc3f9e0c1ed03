"""Saved searches: saved from the results page, edited under My Geopol, and delivered
through the follows' once-per-article alerts with the reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from geopol.articles.models import Access
from geopol.articles.tests.factories import ArticleFactory
from geopol.follows import services
from geopol.follows.models import Delivery, Follow, FollowKind, Frequency, SavedSearch
from geopol.follows.tests.conftest import run_tasks, text_of, wait_for
from geopol.geo.models import Country

pytestmark = pytest.mark.django_db
BODY = "Jihadists moved south of Konna overnight.\n\nThe garrison asked for reinforcements."


def _publish(capture, **kwargs):
    kwargs.setdefault("countries", ["ML"])
    with capture(execute=True):
        return ArticleFactory(body=BODY, teaser="Jihadists push south.", **kwargs)


def test_save_a_search_from_the_results_page_and_edit_it(make_user, client):
    user = make_user("sal")
    client.force_login(user)
    page = client.get(reverse("search"), {"q": "jihadists", "country": "ML"}).text
    assert "Save this search as" in page
    response = client.post(
        reverse("follows:save-search"),
        {"q": "jihadists", "country": "ML", "name": "Sahel jihadists", "frequency": "immediate"},
        follow=True,
    )
    assert "Saved \u2018Sahel jihadists\u2019" in response.text
    saved = SavedSearch.objects.get(user=user)
    assert saved.query == "jihadists" and saved.filters == {"country": ["ML"]}
    assert saved.get_absolute_url() == "/search/?q=jihadists&country=ML"
    follow = Follow.objects.get(user=user, kind=FollowKind.SEARCH)
    assert follow.frequency == Frequency.IMMEDIATE
    listing = client.get(reverse("follows:saved-searches")).text
    assert "Sahel jihadists" in listing and "country: ML" in listing
    client.post(
        reverse("follows:saved-searches"),
        {"search": saved.pk, "name": "Mali jihadists", "frequency": "none"},
    )
    saved.refresh_from_db()
    follow.refresh_from_db()
    assert saved.name == "Mali jihadists" and follow.frequency == Frequency.NONE
    other = make_user("oz")
    client.force_login(other)
    assert (
        client.post(
            reverse("follows:saved-searches"), {"search": saved.pk, "action": "delete"}
        ).status_code
        == 404
    )
    client.force_login(user)
    client.post(reverse("follows:saved-searches"), {"search": saved.pk, "action": "delete"})
    assert not SavedSearch.objects.exists() and not Follow.objects.exists()


def test_a_new_analysis_that_matches_arrives_once_with_the_reason(
    make_user, inbox, django_capture_on_commit_callbacks
):
    user = make_user("ana")
    services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    from geopol.follows.saved import save_search

    save_search(user, "Sahel jihadists", "jihadists", {}, Frequency.IMMEDIATE)
    save_search(user, "Penguins", "penguins", {}, Frequency.IMMEDIATE)
    article = _publish(django_capture_on_commit_callbacks, title="Mali: The Push South")
    run_tasks()
    wait_for(inbox, 1)
    (message,) = inbox.to("ana@example.org")
    text = text_of(message)
    assert "matches your saved search \u2018Sahel jihadists\u2019" in text
    assert "you follow Mali" in text
    assert "Penguins" not in text
    assert Delivery.objects.filter(user=user, article=article).count() == 1


def test_a_saved_search_matches_as_its_member_may_read(
    make_user, inbox, django_capture_on_commit_callbacks
):
    """A word only in a members-only body matches a member's saved search, not a free
    reader's (who would otherwise learn what the hidden body says)."""
    free, member = make_user("fay"), make_user("gus", members=True)
    from geopol.follows.saved import save_search

    for user in (free, member):
        save_search(user, "Reinforcements", "reinforcements", {}, Frequency.IMMEDIATE)
    _publish(django_capture_on_commit_callbacks, access=Access.MEMBERS, title="Mali: The Garrison")
    run_tasks()
    wait_for(inbox, 1)
    assert inbox.to("fay@example.org") == []
    (message,) = inbox.to("gus@example.org")
    assert "matches your saved search \u2018Reinforcements\u2019" in text_of(message)


def test_nothing_to_save_is_refused(make_user, client):
    client.force_login(make_user("ned"))
    response = client.post(reverse("follows:save-search"), {"q": "", "name": "x"}, follow=True)
    assert "There is nothing to save" in response.text
    assert not SavedSearch.objects.exists()
