"""Following a storyline (follows x related): a member follows it from its page, it is listed
with their follows, and an analysis joining it sends the alert that names it, within the
alerts' paywall rules, whether the analysis joined on the change path or later (as the
background assignment of an import does)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from geopol.articles.models import Access, Article, Status
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import ArticleEntity, EntityKind
from geopol.follows.models import Follow, Frequency
from geopol.follows.tests.conftest import (  # noqa: F401  (fixtures)
    html_of,
    inbox,
    make_user,
    run_tasks,
    smtp_server,
    text_of,
    wait_for,
)
from geopol.related import storylines
from geopol.related.models import Storyline

pytestmark = pytest.mark.django_db

SECRET = "Their columns had crossed the river two days before."
TEASER = "Ansar Dine and AQIM left Douentza for Timbuktu."
STORY = f"Fighters of Ansar Dine and AQIM left Douentza for Timbuktu.\n\n{SECRET}"


@pytest.fixture
def storyline():
    """Two Mali pieces of the last weeks threaded by the machine, in an archive where what
    they share is rare."""
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            source_key=f"filler:{i}",
            title=f"Filler {i}",
            slug=f"filler-{i}",
            body="Nothing here.",
            summary="Nothing here.",
            status=Status.PUBLISHED,
            published_at=now - dt.timedelta(days=200 + i),
        )
        for i in range(40)
    )
    for n in (20, 10):
        ArticleFactory(
            title=f"Mali: {n} days ago",
            body=STORY,
            countries=["ML"],
            published_at=now - dt.timedelta(days=n),
        )
    found = Storyline.objects.get()
    found.name = "Mali 2013 intervention"  # as an editor renames it
    found.save()
    return found


def follow_from_its_page(user, storyline) -> Client:
    client = Client()
    client.force_login(user)
    page = client.get(storyline.get_absolute_url()).text
    assert "Follow this storyline" in page
    response = client.post(
        f"/follow/storyline/{storyline.pk}/",
        {
            "action": "follow",
            "frequency": Frequency.IMMEDIATE,
            "next": storyline.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    page = client.get(storyline.get_absolute_url()).text
    assert "Following this storyline · Unfollow" in page
    return client


def test_an_analysis_joining_a_followed_storyline_alerts_with_its_name(
    storyline,
    make_user,  # noqa: F811
    inbox,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    free, member = make_user("fay"), make_user("mo", members=True)
    clients = [follow_from_its_page(user, storyline) for user in (free, member)]
    follows = clients[0].get("/my/follows/").text
    assert "Storylines" in follows and "Mali 2013 intervention" in follows

    with django_capture_on_commit_callbacks(execute=True):
        piece = ArticleFactory(
            title="Mali: The Next Chapter",
            # a storyline is threaded from what everyone sees: here the teaser's names
            teaser=TEASER,
            body=STORY,
            countries=["ML"],
            access=Access.MEMBERS,
            published_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert storylines.storyline_of([piece.pk])[piece.pk] == storyline
    run_tasks()
    wait_for(inbox, 2)
    why = "Why you got this: new in the storyline ‘Mali 2013 intervention’, which you follow."
    (to_free,) = inbox.to("fay@example.org")
    (to_member,) = inbox.to("mo@example.org")
    for message in (to_free, to_member):
        assert message["Subject"] == "Geopol alert: Mali: The Next Chapter"
        assert why in text_of(message)
        assert "Stop alerts for Mali 2013 intervention" in text_of(message)
    # a members-only piece: the free member gets its teaser, the member its text
    for part in (text_of(to_free), html_of(to_free)):
        assert SECRET not in part and TEASER in part
        assert "Become one to read it in full" in part
    assert SECRET in text_of(to_member) and SECRET in html_of(to_member)
    mine = clients[1].get("/my/").text
    assert "New in the storyline ‘Mali 2013 intervention’, which you follow" in mine

    # unfollowed: the next chapter alerts nobody
    response = clients[0].post(f"/follow/storyline/{storyline.pk}/", {"action": "unfollow"})
    assert response.status_code == 302
    assert not Follow.objects.filter(user=free).exists()
    assert "Follow this storyline" in clients[0].get(storyline.get_absolute_url()).text
    inbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Mali: Later Still", body=STORY, countries=["ML"])
    run_tasks()
    wait_for(inbox, 1)
    assert inbox.to("fay@example.org") == [] and len(inbox.to("mo@example.org")) == 1


def test_an_analysis_that_joins_after_it_was_matched_still_alerts(
    storyline,
    make_user,  # noqa: F811
    inbox,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Assignment after the alerts were worked out (an import's background task): joining
    the storyline matches the analysis again, and only the storyline's followers hear."""
    follow_from_its_page(make_user("ida"), storyline)
    with django_capture_on_commit_callbacks(execute=True):
        piece = ArticleFactory(
            title="Mali: Filed Before Tagging",
            body="A dispatch without names yet.",
            countries=["ML"],
            published_at=timezone.now() - dt.timedelta(hours=1),
        )
    run_tasks()
    assert storylines.storyline_of([piece.pk]) == {} and inbox.raw == []
    # its tags arrive without the change path (bulk, as an import's task finds them): the
    # storyline is assigned afterwards, as the background task of an import does
    same = ArticleEntity.objects.filter(article__title="Mali: 10 days ago").kept()
    ArticleEntity.objects.bulk_create(
        ArticleEntity(article=piece, kind=e.kind, key=e.key, name=e.name, mentions=e.mentions)
        for e in same.filter(kind__in=[EntityKind.ACTOR, EntityKind.PLACE])
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert storylines.assign(piece) == storyline
    run_tasks()
    wait_for(inbox, 1)
    (message,) = inbox.to("ida@example.org")
    assert "new in the storyline ‘Mali 2013 intervention’" in text_of(message)
    assert "A dispatch without names yet." in text_of(message)
