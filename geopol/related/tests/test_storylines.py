"""Storylines: threaded by the machine from shared actors and places within a time window,
curated by editors, with a page, and a reason in Connected Content."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from geopol.articles.importers import ArticleData
from geopol.articles.models import Article, Status
from geopol.articles.services import import_articles
from geopol.articles.tests.factories import ArticleFactory
from geopol.core.tests.tasks import run_tasks
from geopol.related import storylines
from geopol.related.models import Storyline, StorylineArticle

pytestmark = pytest.mark.django_db

T0 = timezone.now() - dt.timedelta(days=900)
STORY = (
    "Fighters of Ansar Dine and AQIM left Douentza for Timbuktu.\n\n"
    "Their columns had crossed the river two days before."
)


@pytest.fixture
def archive():
    """Forty unrelated published pieces, so that what the Mali pieces share is rare."""
    Article.objects.bulk_create(
        Article(
            source_key=f"filler:{i}",
            title=f"Filler {i}",
            slug=f"filler-{i}",
            body="Nothing here.",
            summary="Nothing here.",
            status=Status.PUBLISHED,
            published_at=T0 - dt.timedelta(days=i),
        )
        for i in range(40)
    )


@pytest.fixture
def thread(archive):
    pieces = [
        ArticleFactory(
            title=f"Mali: Chapter {n}",
            teaser=f"Chapter {n} of the campaign.",
            body=STORY,
            countries=["ML"],
            published_at=T0 + dt.timedelta(days=10 * n),
        )
        for n in range(3)
    ]
    much_later = ArticleFactory(
        title="Mali: Years On",
        teaser="A look back.",
        body=STORY,
        countries=["ML"],
        published_at=T0 + dt.timedelta(days=800),
    )
    return pieces, much_later


def test_pieces_sharing_actors_and_places_within_weeks_make_a_storyline(client, thread):
    pieces, much_later = thread
    storyline = Storyline.objects.get()
    members = set(storyline.links.filter(removed=False).values_list("article_id", flat=True))
    assert members == {p.pk for p in pieces}, "two years later is another story"
    page = client.get(storyline.get_absolute_url()).text
    assert [t for t in re.findall(r"Mali: Chapter \d", page)] == [p.title for p in pieces]
    assert "<svg" in page and much_later.title not in page
    assert storyline.name in client.get("/storylines/").text


def test_connected_content_says_same_storyline(client, thread):
    pieces, _ = thread
    storyline = Storyline.objects.get()
    page = client.get(pieces[0].get_absolute_url()).text
    assert f"Same storyline: {storyline.name} · 10 days later" in page


def test_editors_rename_merge_and_take_out(thread):
    pieces, much_later = thread
    storyline = Storyline.objects.get()
    editor = User.objects.create_superuser("editor", password="x")
    admin = Client()
    admin.force_login(editor)
    url = f"/admin/related/storyline/{storyline.pk}/change/"
    form = {
        "name": "Mali 2013 intervention",
        "slug": storyline.slug,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    assert admin.post(url, form).status_code == 302
    storyline.refresh_from_db()
    assert storyline.named_by_editor and storyline.name == "Mali 2013 intervention"
    # the machine keeps an editor's name when the thread grows
    ArticleFactory(
        title="Mali: Chapter 3",
        body=STORY,
        countries=["ML"],
        published_at=T0 + dt.timedelta(days=30),
    )
    storyline.refresh_from_db()
    assert storyline.name == "Mali 2013 intervention" and storyline.links.count() == 4
    # taken out by an editor, an article stays out
    StorylineArticle.objects.filter(article=pieces[2]).update(removed=True)
    pieces[2].save()
    assert storylines.storyline_of([pieces[2].pk]) == {}
    # merged with another thread
    other = Storyline.objects.create(name="Sahel later", slug="sahel-later")
    StorylineArticle.objects.create(storyline=other, article=much_later)
    response = admin.post(
        "/admin/related/storyline/",
        {"action": "merge_selected", "_selected_action": [storyline.pk, other.pk]},
    )
    assert response.status_code == 302
    assert Storyline.objects.get().name == "Mali 2013 intervention"
    assert storylines.storyline_of([much_later.pk])[much_later.pk].name == "Mali 2013 intervention"


def test_unknown_storyline_is_404(client):
    assert client.get("/storylines/no-such-thread/").status_code == 404


def test_a_country_page_lists_the_storylines_of_its_analyses(client, thread):
    storyline = Storyline.objects.get()
    page = client.get("/countries/mali/").text
    section = re.search(r'<section class="country-storylines".*?</section>', page, re.S)
    assert section and storyline.name in section.group(0)
    assert storyline.get_absolute_url() in section.group(0)
    assert "country-storylines" not in client.get("/countries/france/").text


def test_a_region_page_lists_the_storylines_of_its_countries(client, thread):
    storyline = Storyline.objects.get()
    page = client.get("/regions/sub-saharan-africa/").text
    section = re.search(r'<section class="country-storylines".*?</section>', page, re.S)
    assert section and storyline.get_absolute_url() in section.group(0)
    assert "country-storylines" not in client.get("/regions/europe/").text


def test_an_import_finds_its_storylines_in_the_background(
    client, archive, django_capture_on_commit_callbacks
):
    """An imported file waits on no storyline work: the worker assigns its pieces once the
    import commits, and their Connected Content then says "Same storyline"."""
    pieces = [
        ArticleData(
            title=f"Mali: Chapter {n}",
            teaser=f"Chapter {n} of the campaign.",
            body=STORY,
            countries=["ML"],
            published=T0 + dt.timedelta(days=10 * n),
            source_url=f"https://example.org/chapter-{n}",
        )
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        import_articles(pieces)
    assert not Storyline.objects.exists(), "the import itself assigns none"
    assert run_tasks(counting="assign_storylines") == 1
    storyline = Storyline.objects.get()
    first = Article.objects.get(title="Mali: Chapter 0")
    assert set(storyline.links.values_list("article_id", flat=True)) == set(
        Article.objects.filter(title__startswith="Mali: Chapter").values_list("pk", flat=True)
    )
    assert f"Same storyline: {storyline.name}" in client.get(first.get_absolute_url()).text


def test_a_big_import_queues_its_storylines_500_articles_a_task(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    pieces = [
        ArticleData(
            title=f"Note {n}",
            body="Nothing here.",
            published=T0 + dt.timedelta(hours=n),
            source_url=f"https://example.org/note-{n}",
        )
        for n in range(501)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        import_articles(pieces)
    sizes = sorted(len(r.args_kwargs["args"][0]) for r in DBTaskResult.objects.all())
    assert sizes == [1, 500]
