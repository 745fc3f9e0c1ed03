"""The contract every search backend passes. A backend's test module subclasses
SearchBackendContract and provides a `make_backend(**options)` fixture; a gap is an explicit
`pytest.skip` with its reason in the subclass, never a silent difference."""

from __future__ import annotations

import datetime as dt

import pytest

from geopol.search.backends.base import Document, SearchBackend, SearchRequest, Suggestion
from geopol.search.query import parse_query

PAST = dt.datetime(2013, 1, 11, 18, 9, tzinfo=dt.UTC)
FUTURE = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
FACETS = ("country", "region", "type", "year")


def doc(id, title, body, published=PAST, teaser="", tier="public", **facets):
    return Document(
        id=id,
        title=title,
        teaser=teaser,
        body=body,
        published=published,
        tier=tier,
        facets={k: list(v) for k, v in facets.items()},
        url=f"/a/{id}/",
    )


CORPUS = [
    doc(
        1,
        "Mali: a prelude to intervention",
        "Troops landed near Sévaré and Mopti as jihadists advanced.",
        teaser="Forces arrive at Sévaré.",
        country=["ML", "FR"],
        region=["africa"],
        type=["analysis"],
        year=["2013"],
    ),
    doc(
        2,
        "Trade talks",
        "Mali and Senegal discussed tariffs; nobody mentioned the war.",
        published=PAST + dt.timedelta(days=400),
        country=["ML", "SN"],
        region=["africa"],
        type=["forecast"],
        year=["2014"],
    ),
    doc(
        3,
        "Scheduled piece",
        "A future intervention in Mali.",
        published=FUTURE,
        country=["ML"],
        year=["2999"],
    ),
    doc(
        4,
        "Members briefing on Niger",
        "The secret annex names the colonels in Niamey.",
        tier="members",
        country=["NE"],
        region=["africa"],
        type=["assessment"],
        year=["2013"],
    ),
]


def ids(results):
    return [h.id for h in results.hits]


class SearchBackendContract:
    """Subclasses provide the fixture `make_backend(**options) -> SearchBackend` (empty)."""

    @pytest.fixture
    def backend(self, make_backend) -> SearchBackend:
        backend = make_backend()
        backend.index(CORPUS, new=True)
        return backend

    def search(self, backend, text, **kwargs):
        kwargs.setdefault("now", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        return backend.search(SearchRequest(query=parse_query(text), **kwargs))

    # -- matching ---------------------------------------------------------------------------

    def test_title_match_ranks_above_body_match(self, backend):
        results = self.search(backend, "mali")
        assert ids(results) == [1, 2]
        assert results.total == 2

    def test_all_words_must_match(self, backend):
        assert ids(self.search(backend, "mali tariffs")) == [2]
        assert ids(self.search(backend, "mali penguins")) == []

    def test_phrase_or_exclusion_and_prefix(self, backend):
        assert ids(self.search(backend, '"Mali and Senegal"')) == [2]
        assert ids(self.search(backend, '"Senegal and Mali"')) == []
        assert ids(self.search(backend, "mali -senegal")) == [1]
        assert sorted(ids(self.search(backend, "tariffs OR jihadists"))) == [1, 2]
        assert ids(self.search(backend, "Mop*")) == [1]

    def test_a_phrase_holds_its_words_in_order_and_nothing_between(self, backend):
        backend.index(
            [
                doc(11, "Note", "The general had set a date for the vote."),
                doc(12, "Note", "The general budget set records; he had won."),
                doc(13, "Note", "They set the date; the general had left."),
                doc(14, "Note", "West Africa: the general had set out, and the West African."),
            ]
        )
        # "had" is a stop word to PostgreSQL: another word in its place must not match
        assert sorted(ids(self.search(backend, '"general had set"'))) == [11, 14]
        assert sorted(ids(self.search(backend, '"general had set" "west africa"'))) == [14]
        assert ids(self.search(backend, '"date general"')) == []

    def test_and_is_the_default_operator_and_not_excludes(self, backend):
        assert ids(self.search(backend, "Mali AND tariffs")) == [2]
        assert ids(self.search(backend, "Mali AND penguins")) == []
        assert ids(self.search(backend, "mali NOT senegal")) == [1]
        assert ids(self.search(backend, "NOT senegal mali")) == [1]

    def test_browsing_everything_newest_first_with_facets(self, backend):
        """No words and no filter, only 'published until now': every visible document,
        newest first, with the facets counted (the search page's empty query)."""
        now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        results = self.search(backend, "", date_to=now, sort="date", facets=("year",))
        assert ids(results)[0] == 2 and sorted(ids(results)) == [1, 2, 4]
        assert results.total == 3, "the future piece is not listed"
        assert {c.value: c.count for c in results.facets["year"]} == {"2013": 2, "2014": 1}

    def test_stemming_and_word_families(self, backend):
        assert ids(self.search(backend, "advancing jihadist")) == [1]
        assert ids(self.search(backend, "intervene")) == [1]  # "intervention"
        backend.index([doc(9, "Talks", "They may intervene again.")])
        assert sorted(ids(self.search(backend, "intervention"))) == [1, 9]

    def test_diacritics_fold_both_ways(self, backend):
        assert ids(self.search(backend, "Sevare")) == [1]
        assert ids(self.search(backend, "sévaré")) == [1]
        backend.index([doc(5, "Lere", "The road to Léré.")])
        assert ids(self.search(backend, "Léré")) == [5]

    def test_not_yet_visible_documents_are_not_found(self, backend):
        assert 3 not in ids(self.search(backend, "intervention"))
        later = self.search(backend, "intervention", now=dt.datetime(3000, 1, 1, tzinfo=dt.UTC))
        assert 3 in ids(later)

    def test_bodies_only_of_readable_tiers_are_searched(self, backend):
        assert ids(self.search(backend, "colonels")) == []
        members = self.search(backend, "colonels", tiers=frozenset({"public", "members"}))
        assert ids(members) == [4]
        assert "<mark>colonels</mark>" in members.hits[0].body_snippet
        # the title is public: found by anyone, but with no snippet from the hidden body
        [hit] = self.search(backend, "niger briefing").hits
        assert hit.id == 4 and "colonels" not in hit.body_snippet

    def test_snippets_are_escaped_and_marked(self, backend):
        backend.index([doc(6, "<b>Bold</b> claims", "Text about <script> tags.")])
        [hit] = self.search(backend, "script").hits
        assert "&lt;<mark>script</mark>&gt;" in hit.body_snippet
        [hit] = self.search(backend, "claims").hits
        assert hit.title_html == "&lt;b&gt;Bold&lt;/b&gt; <mark>claims</mark>"

    @pytest.mark.parametrize(
        "text",
        [
            '"open',
            "NEAR(",
            "AND OR NOT",
            "x" * 10_000,
            "'",
            "\\",
            "mali:",
            "",
            "(((",
            "*",
            "a:b",
            "country:",
            "from:never",
            "-mali",
            "OR",
            '"" ""',
            "{x}",
            "'; DROP TABLE x; --",
            "€ ✓",
        ],
    )
    def test_malformed_queries_never_raise(self, backend, text):
        self.search(backend, text)

    # -- filters, facets, order --------------------------------------------------------------

    def test_facet_filters_and_counts(self, backend):
        results = self.search(backend, "mali", filters={"type": ["forecast"]}, facets=FACETS)
        assert ids(results) == [2]
        results = self.search(backend, "", filters={"country": ["ML"]}, facets=FACETS)
        assert sorted(ids(results)) == [1, 2] and results.total == 2
        counts = {f: {c.value: c.count for c in v} for f, v in results.facets.items()}
        assert counts["country"] == {"ML": 2, "FR": 1, "SN": 1}
        assert counts["year"] == {"2013": 1, "2014": 1}
        assert not results.facets_estimated
        assert self.search(backend, "mali", filters={"country": ["ZZ"]}).total == 0

    def test_restricted_facet_values_count_only_for_readers_of_the_tier(self, make_backend):
        backend = make_backend()
        hidden = Document(
            id=7,
            title="Members brief",
            teaser="",
            body="Convoys.",
            published=PAST,
            tier="members",
            facets={"country": ["ML"]},
            restricted_facets={"country": ["DZ"]},
        )
        backend.index([hidden, doc(8, "Open note", "Convoys.", country=["DZ"])])
        anyone = self.search(backend, "", filters={"country": ["DZ"]}, facets=("country",))
        assert ids(anyone) == [8]
        assert {c.value: c.count for c in anyone.facets["country"]} == {"DZ": 1}
        members = self.search(
            backend,
            "",
            filters={"country": ["DZ"]},
            facets=("country",),
            tiers=frozenset({"public", "registered", "members"}),
        )
        assert sorted(ids(members)) == [7, 8]
        assert {c.value: c.count for c in members.facets["country"]} == {"DZ": 2, "ML": 1}
        everyone = self.search(backend, "", filters={"country": ["ML"]}, facets=("country",))
        assert ids(everyone) == [7]
        assert {c.value: c.count for c in everyone.facets["country"]} == {"ML": 1}

    def test_date_range_and_date_order(self, backend):
        early = self.search(
            backend, "mali", date_from=PAST - dt.timedelta(days=1), date_to=PAST.replace(month=12)
        )
        assert ids(early) == [1]
        assert ids(self.search(backend, "mali", sort="date")) == [2, 1]
        assert ids(self.search(backend, "", date_from=PAST + dt.timedelta(days=1))) == [2]

    def test_recency_is_gentle_and_never_buries_an_exact_title(self, make_backend):
        backend = make_backend()
        old, new = PAST, PAST + dt.timedelta(days=3000)
        backend.index(
            [
                doc(1, "Sahel security", "Sahel security.", published=old),
                doc(2, "Sahel security", "Sahel security.", published=new),
                doc(3, "Elections", "The Sahel security outlook.", published=new),
            ]
        )
        assert ids(self.search(backend, "sahel security", now=new)) == [2, 1, 3]

    def test_bounded_plan_keeps_exact_title_and_title_phrase_matches(self, make_backend):
        backend = make_backend(RANK_WINDOW=10, EXACT_FACETS=20)
        start = PAST
        many = [
            doc(
                i,
                f"Note {i}",
                "security " * 3,
                published=start + dt.timedelta(days=i),
                country=["ML" if i % 2 else "NE"],
            )
            for i in range(10, 110)
        ]
        oldest = [
            doc(1, "Security", "An old piece.", published=start - dt.timedelta(days=900)),
            doc(2, "The security council votes", "Old.", published=start - dt.timedelta(days=800)),
        ]
        backend.index(many + oldest)
        results = self.search(backend, "security", facets=("country",))
        assert results.total == 102
        assert ids(results)[0] == 1  # the exact title, however old
        assert 2 in ids(self.search(backend, "security council", limit=3))
        counts = {c.value: c.count for c in results.facets["country"]}
        assert results.facets_estimated
        assert 30 <= counts["ML"] <= 70 and 30 <= counts["NE"] <= 70

    def test_every_match_is_reachable_past_the_ranked_window(self, make_backend):
        backend = make_backend(RANK_WINDOW=5)
        backend.index(
            [
                doc(i, f"Note {i}", "sahel " * (1 + i % 3), published=PAST + dt.timedelta(days=i))
                for i in range(1, 31)
            ]
        )
        seen = []
        for offset in range(0, 30, 10):
            page = self.search(backend, "sahel", limit=10, offset=offset)
            assert page.total == 30 and len(page.hits) == 10
            seen += ids(page)
        assert sorted(seen) == list(range(1, 31))
        assert set(seen[:5]) == set(range(26, 31))  # the ranked window: the newest five
        assert seen[5:] == list(range(25, 0, -1))  # then the rest, newest first

    def test_pagination(self, backend):
        first = self.search(backend, "mali", limit=1)
        second = self.search(backend, "mali", limit=1, offset=1)
        assert first.total == second.total == 2
        assert ids(first) + ids(second) == [1, 2]

    # -- maintenance -------------------------------------------------------------------------

    def test_reindexing_replaces_and_remove_deletes(self, backend):
        backend.index([doc(1, "Renamed", "Nothing about that country.")])
        assert ids(self.search(backend, "mali")) == [2]
        backend.remove([2])
        assert ids(self.search(backend, "mali")) == []
        assert backend.count() == 3
        assert backend.indexed_ids() == {1, 3, 4}
        backend.clear()
        assert backend.count() == 0

    def test_a_rebuild_aside_is_swapped_in_whole(self, backend):
        """The live index answers, unchanged, while a new one fills beside it; a write to the
        live index meanwhile is logged for the rebuild; the swap puts the new one in place."""
        aside = backend.begin_rebuild()
        assert backend.rebuild_started() is not None
        aside.index([doc(1, "Mali renamed", "Nothing else."), doc(5, "Mali again", "New.")])
        assert aside.count() == 2 and backend.count() == 4
        assert sorted(ids(self.search(backend, "mali"))) == [1, 2]  # the live index, as it was
        backend.index([doc(6, "Mali, written meanwhile", "Late.")])
        backend.remove([2])
        assert backend.take_rebuild_changes() == [2, 6]
        assert backend.take_rebuild_changes() == []
        aside.index([doc(6, "Mali, written meanwhile", "Late.")])
        backend.lock_for_swap()
        backend.swap_rebuild()
        backend.drop_retired_index()
        assert backend.rebuild_started() is None
        assert sorted(ids(self.search(backend, "mali"))) == [1, 5, 6]
        assert ids(self.search(backend, "renamed")) == [1]
        assert backend.indexed_ids() == {1, 5, 6}
        backend.index([doc(7, "Mali after the swap", "Later.")])  # writes go to the new index
        assert backend.take_rebuild_changes() == []  # and are no longer logged
        assert sorted(ids(self.search(backend, "mali"))) == [1, 5, 6, 7]
        assert self.search(backend, "mali", limit=2).total == 4

    def test_an_abandoned_rebuild_leaves_the_live_index_as_it_was(self, backend):
        aside = backend.begin_rebuild()
        aside.index([doc(9, "Mali in the new index", "Only there.")])
        backend.abandon_rebuild()
        assert backend.rebuild_started() is None
        assert sorted(ids(self.search(backend, "mali"))) == [1, 2]
        assert backend.indexed_ids() == {1, 2, 3, 4}
        backend.index([doc(8, "Written after", "Mali.")])
        assert backend.take_rebuild_changes() == []
        again = backend.begin_rebuild()  # and a new rebuild starts empty
        assert again.count() == 0
        backend.abandon_rebuild()

    # -- completion and spelling -------------------------------------------------------------

    def test_suggestions_as_one_types(self, backend):
        backend.replace_suggestions(
            [
                Suggestion("country", "Mali", "/countries/mali/", 3.0),
                Suggestion("actor", "Malian Armed Forces", "/actors/fama/", 2.0),
            ]
        )
        found = backend.suggest("mal")
        assert [(s.kind, s.label) for s in found[:2]] == [
            ("country", "Mali"),
            ("actor", "Malian Armed Forces"),
        ]
        assert ("article", "Mali: a prelude to intervention", "/a/1/") in [
            (s.kind, s.label, s.url) for s in found
        ]
        assert all(s.label != "Scheduled piece" for s in backend.suggest("sched"))

    def test_did_you_mean_material(self, backend):
        assert "intervention" in backend.similar_terms("interventon")
        assert backend.similar_terms("zzzzzz") == []
