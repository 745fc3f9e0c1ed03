"""A piece scheduled for later (or published with a later time) joins Connected Content and
its storyline when it falls due, and no list shows it before."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from geopol.articles.models import Status
from geopol.articles.tests.factories import ArticleFactory
from geopol.follows import tasks
from geopol.related.models import Storyline
from geopol.related.tests.test_storylines import STORY, archive  # noqa: F401

pytestmark = pytest.mark.django_db

DUE_TITLE = "Mali: The Third Week"


def chapters_and_a_piece_due_in_an_hour(status: str):
    now = timezone.now()
    chapters = [
        ArticleFactory(
            title=f"Mali: Chapter {n}",
            body=STORY,
            countries=["ML"],
            published_at=now - dt.timedelta(days=20 - 10 * n),
        )
        for n in range(2)
    ]
    ArticleFactory(
        title=DUE_TITLE,
        body=STORY,
        countries=["ML"],
        status=status,
        published_at=now + dt.timedelta(hours=1),
    )
    return now, chapters


def connected(page: str) -> str:
    return page[page.index('class="connected-list"') :]


@pytest.mark.usefixtures("archive")
@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.PUBLISHED])
def test_a_piece_joins_connected_content_and_its_storyline_when_it_falls_due(status):
    now, chapters = chapters_and_a_piece_due_in_an_hour(status)
    storyline = Storyline.objects.get()
    reader = Client()
    assert DUE_TITLE not in reader.get(chapters[1].get_absolute_url()).text
    assert DUE_TITLE not in reader.get(storyline.get_absolute_url()).text

    with mock.patch("django.utils.timezone.now", return_value=now + dt.timedelta(hours=2)):
        # before the minute timer runs: the lists kept from before are not shown
        assert DUE_TITLE in connected(reader.get(chapters[1].get_absolute_url()).text)
        assert tasks.send_due()["fell_due"] == 1
        page = connected(reader.get(chapters[1].get_absolute_url()).text)
        shown = page[page.index(DUE_TITLE) :]
        assert shown[: shown.index("</li>")].count(f"Same storyline: {storyline.name}") == 1
        assert DUE_TITLE in reader.get(storyline.get_absolute_url()).text
        assert tasks.send_due()["fell_due"] == 0  # announced once
