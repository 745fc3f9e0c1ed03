"""The SQLite FTS5 backend against the shared contract, on the real test database."""

import pytest

from geopol.search.backends.sqlite_fts5 import SQLiteFTS5Backend
from geopol.search.tests.contract import SearchBackendContract

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
