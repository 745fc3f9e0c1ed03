"""The back office as an editor uses it: list, filter, search, edit, schedule, preview."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from geopol.articles.models import Article, Status
from geopol.articles.search import search_articles
from geopol.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(User.objects.create_superuser("editor", "ed@example.org", "pw-tests-1"))
    return client


def test_changelist_filters_and_search(editor_client):
    ArticleFactory(title="Sahel drones", countries=["NE"])
    ArticleFactory(title="Pacific fisheries", countries=["FJ"])
    page = editor_client.get("/admin/articles/article/", {"region": "oceania"}).content.decode()
    assert "Pacific fisheries" in page and "Sahel drones" not in page
    page = editor_client.get("/admin/articles/article/", {"q": "drones"}).content.decode()
    assert "Sahel drones" in page and "Pacific fisheries" not in page
    for status in Status.values:
        assert editor_client.get("/admin/articles/article/", {"status": status}).status_code == 200


def test_editor_writes_and_schedules_an_article(editor_client):
    due = timezone.now() + dt.timedelta(days=1)
    response = editor_client.post(
        "/admin/articles/article/add/",
        {
            "title": "Kenya: Fuel Protests Spread",
            "slug": "kenya-fuel-protests-spread",
            "type": "situation-report",
            "teaser": "",
            "body": "Protests over fuel prices spread from Nairobi to Mombasa.\n\nMore to come.",
            "status": "scheduled",
            "published_at_0": due.strftime("%Y-%m-%d"),
            "published_at_1": due.strftime("%H:%M:%S"),
            "access": "public",
            "country_links-TOTAL_FORMS": "1",
            "country_links-INITIAL_FORMS": "0",
            "country_links-0-country": "KE",
            "country_links-0-position": "0",
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            # the geoparsing app adds its tags inline when it is installed
            "entities-TOTAL_FORMS": "0",
            "entities-INITIAL_FORMS": "0",
            # and the forecasts app its key judgments
            "judgments-TOTAL_FORMS": "0",
            "judgments-INITIAL_FORMS": "0",
            # and the related app its Connected Content choices
            "curations-TOTAL_FORMS": "0",
            "curations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="kenya-fuel-protests-spread")
    assert article.reading_minutes == 1
    assert "<p>Protests over fuel prices" in article.body_html
    assert [c.code for c in article.ordered_countries()] == ["KE"]
    assert article.revisions.get().source == "admin"
    # not visible until due, then visible without anyone doing anything
    assert search_articles("mombasa").items == []
    assert editor_client.get(f"/preview/{article.pk}/").status_code == 200
    later = timezone.now() + dt.timedelta(days=2)
    assert article in Article.objects.published(now=later)


def test_actions_publish_and_retract_record_revisions(editor_client):
    article = ArticleFactory(status=Status.DRAFT, title="Fragile truce")
    editor_client.post(
        "/admin/articles/article/",
        {
            "action": "publish_now",
            "_selected_action": [article.pk],
        },
    )
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert [i.article for i in search_articles("truce").items] == [article]
    editor_client.post(
        "/admin/articles/article/",
        {
            "action": "retract",
            "_selected_action": [article.pk],
        },
    )
    article.refresh_from_db()
    assert article.status == Status.RETRACTED
    assert search_articles("truce").items == []
    assert list(article.revisions.values_list("note", flat=True)) == ["retracted", "published"]


def test_change_form_shows_preview_link_and_revisions(editor_client):
    article = ArticleFactory()
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f"/preview/{article.pk}/" in page
    assert "Countries (the first is the primary country)" in page


def test_restore_an_earlier_revision(editor_client):
    from geopol.articles.services import record_revision, render_article

    article = ArticleFactory(title="First title", body="First body text.")
    first = record_revision(article, source="test")
    article.title, article.body = "Second title", "Second body text."
    article.save()
    render_article(article)
    record_revision(article, source="test")
    response = editor_client.post(
        "/admin/articles/revision/",
        {
            "action": "restore",
            "_selected_action": [first.pk],
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "First title"
    assert "First body text." in article.body_html
    assert [i.article.title for i in search_articles("first").items] == ["First title"]
    assert article.revisions.first().note == f"restored r{first.number}"


def test_restoring_a_revision_needs_permission_to_change_articles(client):
    from django.contrib.auth.models import Permission

    from geopol.articles.services import record_revision

    article = ArticleFactory(title="Original")
    revision = record_revision(article, source="test")
    article.title = "Edited"
    article.save()
    viewer = User.objects.create_user("viewer", password="pw-tests-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_revision"))
    client.force_login(viewer)
    client.post(
        "/admin/articles/revision/", {"action": "restore", "_selected_action": [revision.pk]}
    )
    article.refresh_from_db()
    assert article.title == "Edited"


def test_map_layers_are_validated_in_the_admin():
    from django.core.exceptions import ValidationError

    from geopol.articles.models import Figure

    article = ArticleFactory()
    figure = Figure(
        article=article,
        key="m",
        kind="map",
        caption="c",
        layers={"type": "FeatureCollection", "features": ["oops"]},
    )
    with pytest.raises(ValidationError):
        figure.full_clean()
