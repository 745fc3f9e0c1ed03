"""The PostgreSQL backend against the shared contract, on the real PostgreSQL server.

Runs whenever the server at GEOPOL_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/geopol) answers; skips with the reason otherwise, unless
GEOPOL_REQUIRE_POSTGRES=1 (set by .ci/run) makes that a failure."""

import os

import pytest
from django.conf import settings

from geopol.search.backends.postgres import PostgresSearchBackend
from geopol.search.tests.contract import SearchBackendContract

pytestmark = pytest.mark.django_db(
    databases=["default", "postgres"] if "postgres" in settings.DATABASES else ["default"]
)


def require_postgres() -> None:
    if "postgres" in settings.DATABASES:
        return
    reason = getattr(settings, "TEST_POSTGRES_UNAVAILABLE", "") or "no 'postgres' database"
    if os.environ.get("GEOPOL_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (GEOPOL_REQUIRE_POSTGRES=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


class TestPostgresSearchBackend(SearchBackendContract):
    @pytest.fixture
    def make_backend(self):
        require_postgres()

        def make(**options):
            backend = PostgresSearchBackend(DATABASE="postgres", **options)
            backend.setup()
            backend.clear()
            return backend

        return make

    def test_did_you_mean_material(self, backend):
        if backend.features["pg_trgm"]:
            pytest.skip(f"no 'did you mean' without pg_trgm: {backend.features['pg_trgm']}")
        super().test_did_you_mean_material(backend)
