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
