"""The SQLite FTS5 backend against the shared contract, on the real test database."""

import pytest

from geopol.search.backends.sqlite_fts5 import SQLiteFTS5Backend
from geopol.search.tests.contract import PAST, SearchBackendContract, doc

pytestmark = pytest.mark.django_db


class TestSQLiteFTS5Backend(SearchBackendContract):
    @pytest.fixture
    def make_backend(self):
        def make(**options):
            backend = SQLiteFTS5Backend(**options)
            backend.setup()
            backend.clear()
            return backend

        return make

    def test_words_shaped_like_tag_tokens_do_not_match_the_tags(self, backend):
        # facet values are stored as tokens (f0 on every document, f<code>...) of a column the
        # text search must not see, even when the reader may read every other column
        every_tier = frozenset({"public", "registered", "members"})
        for text in ("f0", "f0*", "mali OR f1", "g1*"):
            assert self.search(backend, text, tiers=every_tier).total == (
                2 if text == "mali OR f1" else 0
            ), text

    def test_compacting_merges_segments_and_keeps_every_document(self, make_backend):
        backend = make_backend()
        for i in range(1, 7):  # each older than the last: FTS5 writes a segment for each
            backend.index(
                [doc(i, f"Note {i}", "Sahel convoys.", published=PAST.replace(day=20 - i))]
            )
        steps = 0
        while backend.compact_step():
            steps += 1
            assert steps < 50
        assert steps >= 1 and not backend.compact_step()
        assert self.search(backend, "sahel convoys").total == 6
