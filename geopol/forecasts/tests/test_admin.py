"""Editors enter and resolve key judgments in the back office."""

import pytest
from django.contrib.auth import get_user_model

from geopol.articles.tests.factories import ArticleFactory
from geopol.follows.tests.conftest import run_tasks
from geopol.forecasts.models import ForecastFollow, Judgment
from geopol.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "ed@example.org", "pw-tests-1")
    client.force_login(user)
    return client


def fields(article, **extra):
    return {
        "article": article.pk,
        "statement": "The port of Sudan will reopen to container ships before June.",
        "likelihood": "likely",
        "probability": "",
        "confidence": "low",
        "resolves_by": "2027-05-31",
        "criteria": "A container ship calls at the port.",
        "countries": ["SD"],
        "outcome": "open",
        "resolution_note": "",
        "resolution_link": "",
        **extra,
    }


def test_editor_adds_a_judgment_with_the_band_midpoint_and_a_band_check(editor_client):
    article = ArticleFactory(countries=["SD"])
    response = editor_client.post("/admin/forecasts/judgment/add/", fields(article))
    assert response.status_code == 302
    judgment = Judgment.objects.get()
    assert (judgment.probability, judgment.probability_given) == (0.675, False)
    refused = editor_client.post(
        "/admin/forecasts/judgment/add/",
        fields(article, statement="Another one.", probability="0.95"),
    )
    assert refused.status_code == 200
    assert "outside the band of &#x27;likely&#x27;, 55–80%" in refused.content.decode()
    assert Judgment.objects.count() == 1
    # the article's own page in the admin carries them inline
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Key judgments" in page and judgment.statement in page


def test_editor_resolves_in_the_admin_and_followers_are_emailed(
    editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    article = ArticleFactory(countries=["SD"])
    editor_client.post("/admin/forecasts/judgment/add/", fields(article))
    judgment = Judgment.objects.get()
    follower = UserFactory()
    ForecastFollow.objects.create(user=follower, country_id="SD")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/forecasts/judgment/{judgment.pk}/change/",
            fields(
                article,
                probability="0.7",
                outcome="false",
                resolution_note="The port stayed closed.",
                resolution_link="https://example.org/port",
            ),
        )
    assert response.status_code == 302
    judgment.refresh_from_db()
    assert (judgment.outcome, judgment.resolution_note) == ("false", "The port stayed closed.")
    assert judgment.resolved_by.username == "editor" and judgment.resolved_at is not None
    run_tasks()
    assert [m.to for m in mailoutbox] == [[follower.email]]
    assert "The port stayed closed." in mailoutbox[0].body
