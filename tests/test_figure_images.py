"""An uploaded figure image answers like the pieces that show it: anyone (and any cache) gets
a public piece's image; a members-only piece's image goes to those who may read the piece,
marked private; a draft's image is a 404 outside the desk, as the draft's page is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from geopol.articles.models import Access, Article, Figure, Status
from geopol.articles.services import render_article
from geopol.articles.tests.factories import ArticleFactory
from geopol.desk.figures import store_image
from geopol.desk.tests.test_figures import png
from geopol.members.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def piece_with_image(width: int, **fields) -> tuple[Article, str, bytes]:
    data = png(width, 80)
    src, _ = store_image(data)
    article = ArticleFactory(**fields)
    Figure.objects.create(article=article, key="chart", kind="image", src=src, caption="Chart")
    render_article(article)  # places the figure in the body's HTML
    return article, src, data


def reader_clients() -> dict[str, Client]:
    clients = {"anonymous": Client(), "free": Client(), "member": Client()}
    clients["free"].force_login(UserFactory())
    clients["member"].force_login(MembershipFactory().user)
    return clients


def test_an_image_answers_like_the_piece_that_shows_it(media):
    _, public_src, public_bytes = piece_with_image(100)
    _, members_src, members_bytes = piece_with_image(110, access=Access.MEMBERS)
    clients = reader_clients()

    for client in clients.values():
        public = client.get(public_src)
        assert public.status_code == 200
        assert b"".join(public.streaming_content) == public_bytes
    assert Client().get(public_src)["Cache-Control"] == "public, max-age=31536000, immutable"

    anonymous = clients["anonymous"].get(members_src)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert "private" in anonymous["Cache-Control"]
    free = clients["free"].get(members_src)
    assert free.status_code == 403 and "private" in free["Cache-Control"]
    assert b"members-only" in free.content
    member = clients["member"].get(members_src)
    assert member.status_code == 200
    assert b"".join(member.streaming_content) == members_bytes
    assert "private" in member["Cache-Control"] and "public" not in member["Cache-Control"]
    # the browser asks again; the member still may see it: nothing is sent twice
    again = clients["member"].get(members_src, headers={"If-None-Match": member["ETag"]})
    assert again.status_code == 304


def test_a_members_only_image_is_shown_to_the_member_on_the_page(media):
    article, src, _ = piece_with_image(
        120, access=Access.MEMBERS, body="Intro.\n\n{{figure chart}}"
    )
    clients = reader_clients()
    assert f'<img src="{src}"' in clients["member"].get(article.get_absolute_url()).content.decode()
    assert src not in clients["free"].get(article.get_absolute_url()).content.decode()
    assert clients["member"].get(src).status_code == 200
    assert clients["free"].get(src).status_code == 403


def test_the_same_image_in_a_public_piece_is_public(media):
    _, src, _ = piece_with_image(130, access=Access.MEMBERS)
    ArticleFactory().figures.create(key="again", kind="image", src=src, caption="Again")
    response = Client().get(src)
    assert response.status_code == 200 and "public" in response["Cache-Control"]


def test_a_drafts_and_a_not_yet_due_pieces_images_are_missing_until_they_are_read(media):
    _, draft_src, _ = piece_with_image(140, status=Status.DRAFT)
    later = timezone.now() + dt.timedelta(hours=2)
    scheduled, scheduled_src, _ = piece_with_image(150, status=Status.SCHEDULED, published_at=later)
    member = reader_clients()["member"]
    for src in (draft_src, scheduled_src):
        for client in (Client(), member):
            missing = client.get(src)
            assert missing.status_code == 404 and "private" in missing["Cache-Control"]
    analyst = UserFactory()
    analyst.groups.add(Group.objects.get(name="Analysts"))
    desk = Client()
    desk.force_login(analyst)
    on_desk = desk.get(draft_src)
    assert on_desk.status_code == 200 and "private" in on_desk["Cache-Control"]

    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())  # falls due
    assert Client().get(scheduled_src).status_code == 200


def test_an_image_no_piece_shows_is_missing(media):
    src, _ = store_image(png(160, 80))
    assert Client().get(src).status_code == 404
    assert Client().get("/media/figures/" + "0" * 32 + ".png").status_code == 404
