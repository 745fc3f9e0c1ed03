"""A storyline's page across apps: its timeline is drawn from the extraction app's events
within the paywall (members see the events of members-only bodies, others do not)."""

import datetime as dt

import pytest

from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.services import tag_article
from geopol.members.tests.factories import MembershipFactory
from geopol.related.models import Storyline, StorylineArticle

pytestmark = pytest.mark.django_db


def test_a_storyline_page_shows_its_timeline_within_the_paywall(client):
    published = dt.datetime(2013, 1, 12, 9, tzinfo=dt.UTC)
    open_piece = ArticleFactory(
        title="Mali: The Push South",
        body="On Jan. 7, fighters of Ansar Dine moved on Mopti from Douentza.",
        countries=["ML"],
        published_at=published,
    )
    members_piece = ArticleFactory(
        title="Mali: The Mediators",
        teaser="A teaser anyone may read.",
        body="On Jan. 9, mediators met the fighters' envoys in Bamako.",
        access="members",
        countries=["ML"],
        published_at=published,
    )
    storyline = Storyline.objects.create(name="Mali 2013", slug="mali-2013")
    for piece in (open_piece, members_piece):
        tag_article(piece)
        StorylineArticle.objects.create(storyline=storyline, article=piece)
    page = client.get(storyline.get_absolute_url()).text
    assert "Jan 7, 2013" in page and "Jan 9, 2013" not in page
    client.force_login(MembershipFactory().user)
    page = client.get(storyline.get_absolute_url()).text
    assert "Jan 7, 2013" in page and "Jan 9, 2013" in page
