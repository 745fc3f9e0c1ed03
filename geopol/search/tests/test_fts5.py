"""The SQLite FTS5 backend against the real database (no articles involved)."""

import datetime as dt

import pytest

from geopol.search.backends import Document
from geopol.search.backends.sqlite_fts5 import SQLiteFTS5Backend

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2013, 1, 11, 18, 9, tzinfo=dt.UTC)


@pytest.fixture
def backend():
    backend = SQLiteFTS5Backend()
    backend.index(
        [
            Document(
                1,
                "Mali: a prelude to intervention",
                "Forces arrive at Sévaré.",
                "Troops landed near Sévaré and Mopti as jihadists advanced.",
                PAST,
            ),
            Document(
                2,
                "Trade talks",
                "Ministers met.",
                "Mali and Senegal discussed tariffs, and intervention was not mentioned.",
                PAST,
            ),
            Document(
                3,
                "Scheduled piece",
                "Later.",
                "A future intervention in Mali.",
                dt.datetime(2999, 1, 1, tzinfo=dt.UTC),
            ),
        ]
    )
    return backend


def test_title_match_ranks_above_body_match(backend):
    results = backend.search("mali")
    assert [h.id for h in results.hits] == [1, 2]
    assert results.total == 2


def test_not_yet_visible_documents_are_not_found(backend):
    assert 3 not in [h.id for h in backend.search("intervention").hits]
    later = backend.search("intervention", now=dt.datetime(3000, 1, 1, tzinfo=dt.UTC))
    assert 3 in [h.id for h in later.hits]


def test_diacritics_fold_both_ways(backend):
    assert [h.id for h in backend.search("Sevare").hits] == [1]
    assert [h.id for h in backend.search("sévaré").hits] == [1]


def test_stemming(backend):
    assert [h.id for h in backend.search("advancing jihadist").hits] == [1]


def test_snippets_are_escaped_and_marked(backend):
    backend.index([Document(4, "<b>Bold</b> claims", "", "Text about <script> tags.", PAST)])
    [hit] = backend.search("script").hits
    assert hit.body_snippet == "Text about &lt;<mark>script</mark>&gt; tags."
    [hit] = backend.search("claims").hits
    assert hit.title_html == "&lt;b&gt;Bold&lt;/b&gt; <mark>claims</mark>"


def test_phrase_exclusion_and_prefix(backend):
    assert [h.id for h in backend.search('"Mali and Senegal"').hits] == [2]
    assert [h.id for h in backend.search("mali -senegal").hits] == [1]
    assert [h.id for h in backend.search("Mop*").hits] == [1]


def test_reindexing_replaces_and_remove_deletes(backend):
    backend.index([Document(1, "Renamed", "", "Nothing about that country.", PAST)])
    assert [h.id for h in backend.search("mali").hits] == [2]
    backend.remove([2])
    assert backend.search("mali").hits == []
    assert backend.count() == 2


def test_malformed_queries_never_raise(backend):
    for query in ['"open', "NEAR(", "AND OR NOT", "x" * 10_000, "'", "\\", "mali:", ""]:
        backend.search(query)
