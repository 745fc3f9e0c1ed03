"""The PostgreSQL backend against the shared contract, on the real PostgreSQL server.

Runs whenever the server at GEOPOL_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/geopol) answers; skips with the reason otherwise, unless
GEOPOL_REQUIRE_POSTGRES=1 (set by .ci/run) makes that a failure."""

import datetime as dt
import os

import pytest
from django.conf import settings

from geopol.search.backends.postgres import PostgresSearchBackend
from geopol.search.tests.contract import PAST, SearchBackendContract, doc, ids

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

    # -- beyond the contract: PostgreSQL counts a large match set from a sample -------------

    def test_large_match_sets_are_counted_from_a_sample_and_keep_exact_titles(self, make_backend):
        backend = make_backend(RANK_WINDOW=10, EXACT_FACETS=30, EXACT_TOTAL=50)
        many = [
            doc(
                i,
                f"Note {i}",
                "security " * 3,
                published=PAST + dt.timedelta(days=i),
                country=["ML" if i % 2 else "NE"],
            )
            for i in range(10, 410)
        ]
        old = doc(1, "Security", "An old piece.", published=PAST - dt.timedelta(days=900))
        backend.index([*many, old])
        results = self.search(backend, "security", facets=("country",))
        assert results.total_estimated and results.facets_estimated
        assert 200 <= results.total <= 700  # 401 in truth
        assert ids(results)[0] == 1  # the exact title, however old
        counts = {c.value: c.count for c in results.facets["country"]}
        assert 80 <= counts["ML"] <= 350 and 80 <= counts["NE"] <= 350
        assert ids(self.search(backend, "security", sort="date", limit=3)) == [409, 408, 407]
        few = self.search(backend, "old piece")
        assert ids(few) == [1] and few.total == 1 and not few.total_estimated

    def test_planner_settings_do_not_outlive_a_search(self, backend):
        from django.db import connections

        with connections["postgres"].cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            [before] = cursor.fetchone()
            assert ids(self.search(backend, "mali")) == [1, 2]
            cursor.execute("SELECT current_setting('enable_seqscan')")
            assert cursor.fetchone()[0] == before

    def test_diacritics_fold_both_ways(self, backend):
        if backend.features["unaccent"]:
            pytest.skip(f"no diacritics folding without unaccent: {backend.features['unaccent']}")
        super().test_diacritics_fold_both_ways(backend)

    def test_word_families_stay_families_after_stemming(self, make_backend):
        backend = make_backend()
        backend.index(
            [
                doc(1, "Electric grids", "Power cuts."),
                doc(2, "Polls", "The election was delayed."),
            ]
        )
        # "elections" has the family base "election", which the stemmer makes "elect"
        assert ids(self.search(backend, "elections")) == [2]

    def test_phrases_among_many_documents_holding_their_words_are_checked_on_a_bounded_set(
        self, make_backend
    ):
        from django.db import connections

        backend = make_backend(PHRASE_CHECKS=100, EXACT_FACETS=20, RANK_WINDOW=10)
        day = dt.timedelta(days=1)
        words_only = [
            doc(i, f"Note {i}", "Support for the states.", published=PAST + i * day)
            for i in range(10, 200)
        ]
        phrased = [
            doc(i, f"Note {i}", "The states will support them.", published=PAST + i * day)
            for i in range(200, 430)
        ]
        old_title = doc(1, "States will support", "An old piece.", published=PAST - 900 * day)
        rare = [
            doc(i, f"Old {i}", "The states support it.", published=PAST - i * day) for i in (2, 3)
        ]
        backend.index([*words_only, *phrased, old_title, *rare])
        with connections["postgres"].cursor() as cursor:
            cursor.execute("ANALYZE search_pg_documents")  # the planner's estimates decide
        results = self.search(backend, '"states will support"', facets=("country",))
        assert results.total_estimated
        assert ids(results)[0] == 1  # the exact title, however old
        assert (
            ids(results)[1:]
            and set(ids(results)[1:]) <= set(range(200, 430))
            and len(results.hits) == 10
        )
        # a phrase the bounded check finds too few of is checked on every document
        few = self.search(backend, '"states support"')
        assert sorted(ids(few)) == [2, 3] and few.total == 2 and not few.total_estimated
