"""A reader's page never waits on a writer (issue 15, "Measured": no 5xx under load with an
import running).

SQLite has one write lock and an import holds it for seconds. `make bench-load` found article
pages answering 500 ("database is locked" after the 5 s busy timeout): a page whose Connected
Content had been dropped by the import computed it again and waited for the lock to keep it.
Here another connection holds the write lock, as an import's transaction does, while pages are
read on the test's own connection (autocommit, as a web request's); the rows are committed, so
the test is transactional, and its articles name no place (its tables, countries too, are
emptied after).
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import ArticleEntity, Decision
from geopol.related.models import RelatedList

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connections["default"].vendor != "sqlite", reason="SQLite's one write lock"),
]
PROMPTLY = 2.0  # seconds; the busy timeout is 5


@pytest.fixture
def pair():
    """Two analyses of the same rare subject: each is in the other's Connected Content.
    Their kept lists are dropped, as an import drops those of its neighbours."""
    first = ArticleFactory(
        title="Lithium brine cooperatives strike",
        body="The brine cooperatives halted lithium evaporation ponds over royalties.",
    )
    second = ArticleFactory(
        title="Lithium brine royalties talks",
        body="Talks on lithium brine royalties resumed with the evaporation ponds idle.",
    )
    for article in (first, second):  # an editor's tag (the geoparser's would name a place)
        ArticleEntity.objects.create(
            article=article,
            kind="actor",
            key="brine-cooperatives",
            name="the Brine Cooperatives",
            by_editor=True,
            decision=Decision.CONFIRMED,
        )
    RelatedList.objects.all().delete()
    return first, second


def holding_the_write_lock():
    """Another connection in a write transaction (what `geopol import` holds per file)."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 0")
        cursor.execute("BEGIN IMMEDIATE")
    return other


@pytest.fixture
def write_lock():
    other = holding_the_write_lock()
    try:
        yield
    finally:
        other.rollback()
        other.close()


def timed_get(client: Client, url: str):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.mark.parametrize("surface", ["page", "api"])
def test_connected_content_is_served_while_an_import_holds_the_write_lock(
    pair, write_lock, surface
):
    first, second = pair
    client = Client(raise_request_exception=False)
    url = first.get_absolute_url() if surface == "page" else f"/api/v1/articles/{first.slug}"
    response, seconds = timed_get(client, url)
    assert response.status_code == 200
    assert seconds < PROMPTLY
    assert second.title in response.text  # Connected Content computed, and shown
    assert not RelatedList.objects.exists()  # not kept: that would have waited


def test_the_list_is_kept_by_the_next_reader_once_the_lock_is_free(pair):
    first, _ = pair
    assert Client().get(first.get_absolute_url()).status_code == 200
    assert RelatedList.objects.filter(article=first).count() == 3  # one per kind of reader


def test_a_list_computed_under_the_lock_is_computed_once(pair):
    """The import holds the lock most of the time: the list is kept aside (the cache) for the
    next readers, who read it as cheaply as a list kept in the database."""
    first, second = pair
    url = first.get_absolute_url()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert second.title in Client().get(url).text
        return len(captured)

    lock = holding_the_write_lock()
    try:
        queries()  # computes it
        while_locked = queries()
    finally:
        lock.rollback()
        lock.close()
    cache.clear()  # the list kept aside, and the cached page
    queries()  # computes it and keeps it in the database
    assert RelatedList.objects.filter(article=first).exists()
    assert while_locked <= queries()
