"""`geopol reindex` builds the new index beside the live one and swaps it in: on SQLite and on
the real PostgreSQL server, a search running in another thread all through the reindex finds
everything it found before, articles written meanwhile are found after the swap, and a
reindex that fails half-way leaves search answering from the index as it was.

Everything runs on connections that commit (threads), as the site and the command would."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from geopol.articles.management.commands import reindex_search
from geopol.articles.models import Article
from geopol.articles.search import search_articles
from geopol.articles.tests.factories import ArticleFactory
from geopol.core.tests.threads import OneDatabase, in_thread
from geopol.search.backends import get_backend
from geopol.search.tests.test_postgres import require_postgres

POSTGRES_ALIASES = ["default", "postgres"] if "postgres" in settings.DATABASES else ["default"]


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.django_db(transaction=True)),
        # transactional on both: a test transaction on SQLite would hold its one write lock
        pytest.param(
            "postgres",
            marks=pytest.mark.django_db(transaction=True, databases=POSTGRES_ALIASES),
        ),
    ]
)
def site(request):
    """A word no other test's articles hold, on the database named by the parameter (with
    the PostgreSQL search backend there)."""
    tag = "zq" + uuid.uuid4().hex[:8]  # a word of letters only
    if request.param == "sqlite":
        yield tag
        return
    require_postgres()
    backend = {"BACKEND": "geopol.search.backends.postgres.PostgresSearchBackend"}
    with override_settings(
        DATABASE_ROUTERS=[OneDatabase("postgres")],
        SEARCH_BACKENDS={"default": {**backend, "DATABASE": "postgres"}},
    ):
        get_backend.cache_clear()
        in_thread(get_backend().setup)  # the search tables, in the test database
        try:
            yield tag
        finally:
            get_backend.cache_clear()


def found(word: str) -> list[str]:
    return sorted(item.article.title for item in search_articles(word, limit=50).items)


def articles(tag: str, count: int, start: int = 0) -> list[str]:
    titles = [f"Lithium {tag} {n}" for n in range(start, start + count)]
    in_thread(lambda: [ArticleFactory(title=t, body=f"Brine {tag}.") for t in titles])
    return titles


def test_searches_find_everything_while_a_reindex_builds_aside_and_swaps(site, monkeypatch):
    before = articles(site, 6)
    # an edit the live index does not know of (no signals): the new index will have it
    in_thread(lambda: Article.objects.filter(title=before[0]).update(summary="Cobalt too."))
    assert in_thread(lambda: found(site)) == before and in_thread(lambda: found("cobalt")) == []
    monkeypatch.setattr(reindex_search, "BATCH", 2)
    halfway, resume, done = threading.Event(), threading.Event(), threading.Event()
    seen: list[list[str]] = []

    def pause() -> None:
        halfway.set()
        resume.wait(timeout=60)

    def search_throughout() -> None:
        while not done.is_set():
            seen.append(found(f"brine -meanwhile {site}"))

    searcher = threading.Thread(target=lambda: in_thread(search_throughout))
    searcher.start()
    reindexer = threading.Thread(
        target=lambda: in_thread(lambda: reindex_search.reindex(progress=False, after_batch=pause))
    )
    reindexer.start()
    try:
        assert halfway.wait(timeout=60)
        assert in_thread(lambda: get_backend().rebuild_started()) is not None
        # a write while the new index fills: found at once, and after the swap
        meanwhile = f"Lithium {site} meanwhile"
        in_thread(lambda: ArticleFactory(title=meanwhile, body=f"Brine {site}."))
        assert meanwhile in in_thread(lambda: found(site))
    finally:
        resume.set()
        reindexer.join(timeout=120)
        done.set()
        searcher.join(timeout=60)
    assert len(seen) >= 2
    assert all(titles == before for titles in seen)  # never fewer, all through the swap
    assert in_thread(lambda: found(site)) == sorted([*before, meanwhile])
    assert in_thread(lambda: [item.article.title for item in search_articles("cobalt").items]) == [
        before[0]
    ]
    assert in_thread(lambda: get_backend().rebuild_started()) is None


def test_a_reindex_that_fails_half_way_leaves_search_on_the_old_index(site, monkeypatch):
    before = articles(site, 4)
    in_thread(lambda: Article.objects.filter(title=before[0]).update(summary="Cobalt too."))
    monkeypatch.setattr(reindex_search, "BATCH", 1)
    batches = []

    def fail_on_the_second_batch() -> None:
        batches.append(1)
        if len(batches) == 2:
            raise RuntimeError("the disk filled up")

    with pytest.raises(RuntimeError, match="the disk filled up"):
        in_thread(
            lambda: reindex_search.reindex(progress=False, after_batch=fail_on_the_second_batch)
        )
    assert in_thread(lambda: found(site)) == before  # the live index, as it was
    assert in_thread(lambda: found("cobalt")) == []
    assert in_thread(lambda: get_backend().rebuild_started()) is None
    articles(site, 1, start=4)  # writes go on, to the live index alone
    assert in_thread(lambda: len(found(site))) == 5
    in_thread(lambda: reindex_search.reindex(progress=False))
    assert in_thread(lambda: len(found(site))) == 5 and in_thread(lambda: found("cobalt")) == [
        before[0]
    ]


def test_an_interrupted_reindex_is_reported_and_restarted(site):
    from django.core.management import CommandError

    before = articles(site, 2)

    # what a reindex killed half-way leaves: the rebuild begun, never swapped or abandoned
    def begin() -> None:
        with transaction.atomic(using=get_backend().database):
            get_backend().begin_rebuild()

    in_thread(begin)
    with pytest.raises(CommandError, match=r"has not finished.*--restart"):
        in_thread(lambda: reindex_search.reindex(progress=False))
    assert in_thread(lambda: found(site)) == before
    in_thread(lambda: reindex_search.reindex(progress=False, restart=True))
    assert in_thread(lambda: found(site)) == before
    assert in_thread(lambda: get_backend().rebuild_started()) is None
