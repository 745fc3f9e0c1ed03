"""PostgreSQL full-text search, in the same database and transaction as the content it indexes.

One row per document in `search_pg_documents`, with two weighted tsvectors kept by PostgreSQL
itself (generated columns): `tsv_head` (title A, teaser B: text every reader may search) and
`tsv_full` (the same plus the body, C). A search matches `tsv_full` of documents whose tier
the reader may read and `tsv_head` of the others, so a body is never matched, counted or
snippeted for a reader who may not read it (the SQLite backend's one body column per tier).

Plan, the same as SQLite's: `key` is date-ordered (publication second * 1024 + 10 hashed bits
of the id), so date filters are key ranges and "newest first" is an index order; facet values
are codes in an int[] column with a GIN index; relevance (ts_rank with title/teaser/body
weights, times a gentle recency factor) is computed for a bounded candidate set only: the
newest RANK_WINDOW matches plus documents whose title holds the query as a phrase, plus exact
title matches. One statement walks the GIN matches once for the count, the newest
RANK_WINDOW ids and the facet counts (of an even sample above EXACT_FACETS); above EXACT_TOTAL
matches the walk is of an even sample only. GIN keeps no positions, so a phrase's candidates
are first the few documents holding its adjacent word pairs (an expression index, PAIRS), and
a phrase whose pairs many documents hold is checked on a bounded set (PHRASE_CHECKS). The RUM index
(Debian's postgresql-15-rum) was measured and is not used: see docs/performance.md.

The tsquery is built from our ParsedQuery, never from raw input: every word is a quoted
lexeme handed to to_tsquery as a parameter, so the query language (and how it degrades) is
the parser's alone.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import itertools
import json
import logging
import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction

from geopol.core.replica import PRIMARY, read_alias
from geopol.search.backends.base import (
    Document,
    FacetCount,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResults,
    Suggestion,
)
from geopol.search.backends.plan import (
    CLOSE,
    KEY_SHIFT,
    MIN_SPELL_WORD,
    OPEN,
    RECENCY_BOOST,
    RECENCY_SECONDS,
    TITLE_WINDOW,
    document_key,
    key_bound,
    marked_html,
)
from geopol.search.query import (
    MIN_FAMILY_BASE,
    WORD_RE,
    ParsedQuery,
    Term,
    exact_title_key,
    title_key,
    title_phrase,
)

log = logging.getLogger(__name__)

DOCS = "search_pg_documents"
VALUES = "search_pg_facet_values"
SUGGEST = "search_pg_suggestions"
WORDS = "search_pg_words"
# While `geopol reindex` builds a new documents table aside (DOCS + REBUILT_SUFFIX), REBUILD holds
# one row and every write to DOCS logs the ids it touched in REBUILD_LOG (see begin_rebuild).
REBUILD = "search_pg_rebuild"
REBUILD_LOG = "search_pg_rebuild_log"
REBUILT_SUFFIX, RETIRING_SUFFIX = "_next", "_old"
TABLES = [DOCS, VALUES, SUGGEST, WORDS, REBUILD, REBUILD_LOG]
CONFIG = "geopol_english"  # english stemming over unaccented words: "Sevare" finds "Sévaré"
SIMPLE = "geopol_simple"  # unaccented words, unstemmed: completions
TIERS = ("public", "registered", "members")
STRICTEST = "members"  # a tier we do not know is treated as the strictest
# A facet value only readers of the document's tier may filter and count by is stored in the
# same int[] as -(code * 8 + tier number), so the GIN index serves both kinds.
RESTRICTED_TIERS = {"registered": 1, "members": 2}


def _facet_counts_sql(rows: str, where: str = "") -> str:
    """A JSON object of facet code -> documents among the CTE `rows` (which has `facets`),
    or among those of them that `where` keeps."""
    condition = f"WHERE {where}" if where else ""
    return f"""(
        SELECT jsonb_object_agg(code, n) FROM (
            SELECT c.code, count(*) AS n FROM {rows} CROSS JOIN LATERAL unnest({rows}.facets)
            AS c(code) {condition} GROUP BY c.code) AS f)"""


def restricted_code(code: int, tier: str) -> int:
    return -(code * 8 + RESTRICTED_TIERS.get(tier, RESTRICTED_TIERS[STRICTEST]))


def readable_code(stored: int, tiers: Collection[str]) -> int | None:
    """The facet code a stored code stands for, if a reader of `tiers` may count it."""
    if stored >= 0:
        return stored
    code, tier = divmod(-stored, 8)
    return code if any(RESTRICTED_TIERS.get(t) == tier for t in tiers) else None


# ts_rank weights {D, C, B, A}: body (C) 1, teaser (B) 4, title (A) 10, as in SQLite's bm25.
RANK_WEIGHTS = "{0.1, 0.1, 0.4, 1.0}"
RANK_NORMALIZATION = 1  # divide by 1 + log(document length)
# Private-use stand-ins for < > & (beside plan.OPEN/CLOSE, the match markers), so
# PostgreSQL's parser reads "<script>" in plain text as a word, not a tag.
ANGLES = "<>&"
STAND_INS = "\ue002\ue003\ue004"
RESTORE = str.maketrans(STAND_INS, ANGLES)
SNIPPET_WORDS = 32
HEADLINE = f"StartSel={OPEN}, StopSel={CLOSE}"
SNIPPET = f"{HEADLINE}, MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS * 3 // 4}, ShortWord=2"


def _plain(column: str) -> str:
    """SQL for a text column with < > & replaced by stand-ins (see STAND_INS)."""
    return f"translate({column}, '{ANGLES}', '{STAND_INS}')"


def _vector(column: str, weight: str, config: str = CONFIG) -> str:
    return f"setweight(to_tsvector('{config}', {_plain(column)}), '{weight}')"


HEAD = f"{_vector('title', 'A')} || {_vector('teaser', 'B')}"
FULL = f"{HEAD} || {_vector('body', 'C')}"
# GIN keeps no positions, so a phrase of common words ("general had set") would be checked on
# every document holding its words. An expression index of each document's adjacent word
# pairs (consecutive lexemes of its full vector, in the order of their positions: the stop
# words between them dropped, as in the phrase's tsquery) finds the few holding the phrase's
# pairs; the phrase is then checked on those alone. Not stored: the index is all it needs.
PAIRS_FUNCTION = "geopol_word_pairs"
PAIRS_FUNCTION_SQL = f"""
    CREATE OR REPLACE FUNCTION {PAIRS_FUNCTION}(v tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 AS $$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT pair)), ''::tsvector) FROM (
            SELECT lexeme || ' ' || lead(lexeme) OVER (ORDER BY position) AS pair
            FROM unnest(v) AS u(lexeme, positions, weights), unnest(positions) AS position
        ) AS p WHERE pair IS NOT NULL
    $$
"""
PAIRS = f"{PAIRS_FUNCTION}({FULL})"

EXTENSIONS = ("unaccent", "pg_trgm")


def documents_sql(table: str = DOCS) -> list[str]:
    """The documents table (named `table`: a rebuild fills one aside) and its indexes, whose
    names start with the table's (a swap renames them with it)."""
    return [
        f"""
        CREATE TABLE IF NOT EXISTS {table} (
            doc_id bigint PRIMARY KEY,
            key bigint NOT NULL,
            visible_from timestamptz NOT NULL,
            tier text NOT NULL,
            title text NOT NULL,
            teaser text NOT NULL,
            body text NOT NULL,
            url text NOT NULL,
            title_key text NOT NULL,
            facets integer[] NOT NULL,
            tsv_head tsvector GENERATED ALWAYS AS ({HEAD}) STORED,
            tsv_full tsvector GENERATED ALWAYS AS ({FULL}) STORED,
            tsv_title tsvector GENERATED ALWAYS AS
                (to_tsvector('{CONFIG}', {_plain("title")})) STORED,
            title_words tsvector GENERATED ALWAYS AS
                (to_tsvector('{SIMPLE}', {_plain("title")})) STORED
        )
        """,
        f"CREATE INDEX IF NOT EXISTS {table}_key ON {table} (key)",
        f"CREATE INDEX IF NOT EXISTS {table}_visible_from ON {table} (visible_from)",
        # the even sample of a large match set (see KEY_SHIFT) is a range of this index
        f"CREATE INDEX IF NOT EXISTS {table}_sample ON {table} ((key & {KEY_SHIFT - 1}))",
        f"CREATE INDEX IF NOT EXISTS {table}_title_key ON {table} (title_key)",
        # One GIN index per tier and vector, so a search walks only the documents of the tiers
        # it matches through that vector (see PostgresSearchBackend._match).
        *(
            f"CREATE INDEX IF NOT EXISTS {table}_{vector}_{tier} ON {table} "
            f"USING gin (tsv_{vector}) WHERE tier = '{tier}'"
            for vector in ("head", "full")
            for tier in TIERS
        ),
        f"CREATE INDEX IF NOT EXISTS {table}_title ON {table} USING gin (tsv_title)",
        f"CREATE INDEX IF NOT EXISTS {table}_facets ON {table} USING gin (facets)",
        f"CREATE INDEX IF NOT EXISTS {table}_title_words ON {table} USING gin (title_words)",
        f"CREATE INDEX IF NOT EXISTS {table}_pairs ON {table} USING gin (({PAIRS}))",
    ]


TABLE_SQL = [
    *documents_sql(),
    f"""
    CREATE TABLE IF NOT EXISTS {VALUES} (
        code serial PRIMARY KEY, facet text NOT NULL, value text NOT NULL,
        UNIQUE (facet, value)
    )
    """,
    f"""
    CREATE TABLE IF NOT EXISTS {SUGGEST} (
        id bigserial PRIMARY KEY, kind text NOT NULL, label text NOT NULL, url text NOT NULL,
        weight double precision NOT NULL,
        words tsvector GENERATED ALWAYS AS (to_tsvector('{SIMPLE}', {_plain("label")})) STORED
    )
    """,
    f"CREATE INDEX IF NOT EXISTS {SUGGEST}_words ON {SUGGEST} USING gin (words)",
    f"CREATE TABLE IF NOT EXISTS {WORDS} (term text PRIMARY KEY)",
    f"CREATE TABLE IF NOT EXISTS {REBUILD} (started timestamptz NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {REBUILD_LOG} (doc_id bigint PRIMARY KEY)",
]
TRGM_WORDS = f"CREATE INDEX IF NOT EXISTS {WORDS}_trgm ON {WORDS} USING gin (term gin_trgm_ops)"


# Totals are exact up to this many matches; above it they are scaled up from an even sample
# (counting every match of a common word means visiting every matching row).
EXACT_TOTAL = 10_000
# Ranking reads each candidate's full vector (a TOAST fetch of ~4 KB, ~10 us), so PostgreSQL
# ranks fewer of a common word's newest matches than SQLite (base.RANK_WINDOW); exact title
# and title-phrase matches are ranked however old, as there.
POSTGRES_RANK_WINDOW = 500
# GIN keeps no positions: a phrase is checked against each candidate's vector (a TOAST fetch
# each). When more documents hold all of a phrase's words than this, the phrase is checked on
# half as many of the newest of them and on an even sample of the same size for the count and
# facets (both then estimates), unless that finds less than a page (then every one is checked).
PHRASE_CHECKS = 4000
# Per search statement (see search()): no sequential scans; no parallel workers (starting
# them costs more than these small plans gain, and a 2-core machine has no core to spare);
# no JIT (enable_seqscan=off leaves the disabled cost in plans of small tables, which would
# push them over jit_above_cost).
PLANNER = {
    "enable_seqscan": "off",
    "work_mem": "64MB",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
}


@dataclass
class Where:
    """What selects a search's matches: the text condition (on the tsquery) and the rest
    (facet filters, dates, visibility), each with its parameters."""

    tsquery: str = ""
    branches: list[tuple[str, list[object]]] = field(default_factory=list)
    rest: str = ""
    rest_params: list[object] = field(default_factory=list)
    # for a query with phrases: the same with each phrase's words ANDed (what GIN answers
    # without reading vectors), and the check of the phrases on a row `d` of DOCS
    loose_branches: list[tuple[str, list[object]]] = field(default_factory=list)
    check: str = ""
    check_params: list[object] = field(default_factory=list)

    def loosened(self) -> Where:
        return Where(self.tsquery, self.loose_branches, self.rest, self.rest_params)

    @property
    def sql(self) -> str:
        if not self.branches:
            return self.rest
        text = " OR ".join(f"({condition})" for condition, _ in self.branches)
        return f"({text}) AND {self.rest}"

    @property
    def params(self) -> list[object]:
        return [*(p for _, params in self.branches for p in params), *self.rest_params]

    def select(self, columns: str, extra: str = "") -> tuple[str, list[object]]:
        """SELECT `columns` of every match (that also meets `extra`, SQL without parameters):
        a UNION ALL of the disjoint branches, so each is a plain GIN bitmap scan (an OR would
        re-test every row's vector)."""
        rest = f"{self.rest} AND {extra}" if extra else self.rest
        if not self.branches:
            return f"SELECT {columns} FROM {DOCS} WHERE {rest}", list(self.rest_params)
        parts, params = [], []
        for condition, condition_params in self.branches:
            parts.append(f"SELECT {columns} FROM {DOCS} WHERE {condition} AND {rest}")
            params += [*condition_params, *self.rest_params]
        return " UNION ALL ".join(parts), params


@dataclass
class Pass:
    """What one walk over the matches found."""

    total: int
    newest: list[int]  # ids of the newest rank_window matches
    codes: dict[str, int]  # facet value code -> matches (in the sample) carrying it
    share: int  # the sample: matches whose key's low bits are below share (of KEY_SHIFT)
    estimated: bool = False  # total scaled up from the sample
    complete: bool = False  # `newest` holds every match


def quoted(word: str, flags: str = "") -> str:
    """A word as a quoted tsquery operand: whatever it holds is one lexeme's text."""
    text = word.replace("\\", "\\\\").replace("'", "''")
    return f"'{text}'" + (f":{flags}" if flags else "")


def _term_tsquery(term: Term, families: Collection[str], phrases: bool = True) -> str:
    words = [quoted(w, "*" if term.prefix else "") for w in term.words]
    expression = (" <-> " if phrases else " & ").join(words)
    if term.family and term.family in families:
        return f"({expression} | {quoted(term.family, '*')})"
    return f"({expression})" if len(words) > 1 else expression


def to_tsquery_text(
    parsed: ParsedQuery, families: Collection[str] = (), phrases: bool = True
) -> str:
    """Input for to_tsquery(geopol_english, ...): our query language in tsquery syntax, every
    word a quoted operand (stemmed and unaccented by the configuration; stop words drop).
    A term's word family is added as a prefix when it is in `families`. Without `phrases`,
    a positive phrase's words need only all be there (what a GIN index answers alone)."""
    positives, negatives = [], []
    for clause in parsed.clauses:
        if clause[0].negated:
            negatives.append("!" + _term_tsquery(clause[0], families))
        elif len(clause) == 1:
            positives.append(_term_tsquery(clause[0], families, phrases))
        else:
            terms = " | ".join(_term_tsquery(t, families, phrases) for t in clause)
            positives.append(f"({terms})")
    return " & ".join(positives + negatives)


def phrase_pairs_tsquery_text(phrases: Iterable[str]) -> str:
    """For phrase tsqueries as PostgreSQL prints them ('west' <-> 'africa', 'general' <2>
    'set'), the adjacent pairs of their lexemes that a document holding them all holds (see
    PAIRS), as tsquery text; "" when none is a plain chain of lexemes."""
    pairs: set[str] = set()
    for phrase in phrases:
        parts = PHRASE_OPERATOR.split(phrase.strip())
        if len(parts) < 2 or not all(LEXEME.fullmatch(p) for p in parts):
            continue  # prefixes, alternatives, nested phrases: not a plain chain
        lexemes = [p[1:-1].replace("''", "'") for p in parts]
        pairs.update(f"{a} {b}" for a, b in itertools.pairwise(lexemes))
    return " & ".join(quoted(pair) for pair in sorted(pairs))


PHRASE_OPERATOR = re.compile(r"\s*<(?:-|\d+)>\s*")
LEXEME = re.compile(r"'(?:[^']|'')+'")


def title_phrase_tsquery_text(parsed: ParsedQuery) -> str:
    """The query's positive words in order, as a phrase (matched against titles)."""
    return " <-> ".join(quoted(w) for w in title_phrase(parsed))


class PostgresSearchBackend(SearchBackend):
    def __init__(self, alias: str = "default", **options: object):
        options.setdefault("RANK_WINDOW", POSTGRES_RANK_WINDOW)
        super().__init__(alias, **options)
        self.exact_total = int(options.pop("EXACT_TOTAL", EXACT_TOTAL))  # type: ignore[call-overload]
        self.phrase_checks = int(options.pop("PHRASE_CHECKS", PHRASE_CHECKS))  # type: ignore[call-overload]
        self._features: dict[str, str] | None = None  # extension -> "" or why it is missing
        self.docs = DOCS  # the documents table written to (a rebuild's is aside: begin_rebuild)

    @property
    def connection(self):
        connection = connections[self.database]
        if connection.vendor != "postgresql":
            raise ImproperlyConfigured(
                f"PostgresSearchBackend needs a PostgreSQL database, but DATABASES"
                f"[{self.database!r}] is {connection.vendor}; set SEARCH_BACKENDS to "
                "geopol.search.backends.sqlite_fts5.SQLiteFTS5Backend (or unset "
                "GEOPOL_SEARCH_BACKEND)"
            )
        return connection

    @property
    def reading(self):
        """The connection searches read from: a streaming replica when the site has one and
        the request may use it (geopol/core/replica.py), else the primary."""
        alias = read_alias() if self.database == PRIMARY else self.database
        return self.connection if alias == self.database else connections[alias]

    # -- structures --------------------------------------------------------------------------

    def setup(self) -> None:
        missing: dict[str, str] = {}
        with self.connection.cursor() as cursor:
            for name in EXTENSIONS:
                try:
                    with transaction.atomic(using=self.database):
                        cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
                except DatabaseError as error:
                    missing[name] = str(error).strip().splitlines()[0]
            self._create_configurations(cursor, unaccent="unaccent" not in missing)
            cursor.execute(PAIRS_FUNCTION_SQL)
            for statement in TABLE_SQL:
                cursor.execute(statement)
            if "pg_trgm" not in missing:
                cursor.execute(TRGM_WORDS)
        for name, reason in missing.items():
            log.info("search: PostgreSQL extension %s unavailable (%s)", name, reason)
        self._features = None

    def _create_configurations(self, cursor, unaccent: bool) -> None:
        folding = "unaccent, " if unaccent else ""
        for name, base in ((CONFIG, "english"), (SIMPLE, "simple")):
            cursor.execute(
                "SELECT 1 FROM pg_ts_config WHERE cfgname = %s "
                "AND cfgnamespace = current_schema()::regnamespace",
                [name],
            )
            if cursor.fetchone():
                continue
            dictionary = "english_stem" if base == "english" else "simple"
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})")
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                f"hword, hword_part, word WITH {folding}{dictionary}"
            )

    @property
    def features(self) -> dict[str, str]:
        """For each optional extension, "" when it is in use, else why it is not."""
        if self._features is None:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT extname FROM pg_extension WHERE extname = ANY(%s)", [list(EXTENSIONS)]
                )
                present = {row[0] for row in cursor.fetchall()}
            self._features = {
                name: "" if name in present else f"the {name} extension is not installed"
                for name in EXTENSIONS
            }
        return self._features

    # -- writing -----------------------------------------------------------------------------

    def _codes(self, cursor, pairs: set[tuple[str, str]], create: bool) -> dict:
        if not pairs:
            return {}
        # sorted: concurrent writers (geopol reindex --jobs) insert new values in the same
        # order, so they wait for each other instead of deadlocking
        ordered = sorted(pairs)
        facets, values = [p[0] for p in ordered], [p[1] for p in ordered]
        if create:
            cursor.execute(
                f"INSERT INTO {VALUES} (facet, value) SELECT * FROM unnest(%s::text[], %s::text[]) "
                "ON CONFLICT DO NOTHING",
                [facets, values],
            )
        cursor.execute(
            f"SELECT v.facet, v.value, v.code FROM {VALUES} v "
            "JOIN unnest(%s::text[], %s::text[]) AS p(facet, value) "
            "ON v.facet = p.facet AND v.value = p.value",
            [facets, values],
        )
        return {(facet, value): int(code) for facet, value, code in cursor.fetchall()}

    def index(self, documents: Iterable[Document], new: bool = False) -> int:
        docs = list({d.id: d for d in documents}.values())
        if not docs:
            return 0
        with self.connection.cursor() as cursor:
            pairs = {
                (f, v)
                for d in docs
                for facets in (d.facets, d.restricted_facets)
                for f, values in facets.items()
                for v in values
            }
            codes = self._codes(cursor, pairs, create=True)
            columns: list[list[object]] = [[] for _ in range(10)]
            for d in docs:
                public = {codes[(f, v)] for f, vs in d.facets.items() for v in vs}
                hidden = set()
                if d.tier != "public":
                    hidden = {
                        restricted_code(codes[(f, v)], d.tier)
                        for f, vs in d.restricted_facets.items()
                        for v in vs
                        if codes[(f, v)] not in public
                    }
                doc_codes = sorted(public | hidden)
                row = (
                    d.id,
                    document_key(d.id, d.published),
                    d.findable_from,
                    d.tier if d.tier in TIERS else STRICTEST,
                    d.title,
                    d.teaser,
                    d.body,
                    d.url,
                    title_key(d.title),
                    "{" + ",".join(map(str, doc_codes)) + "}",  # an int[] literal
                )
                for column, value in zip(columns, row, strict=True):
                    column.append(value)
            upsert = (
                ""
                if new
                else (
                    " ON CONFLICT (doc_id) DO UPDATE SET key = EXCLUDED.key, "
                    "visible_from = EXCLUDED.visible_from, tier = EXCLUDED.tier, "
                    "title = EXCLUDED.title, teaser = EXCLUDED.teaser, body = EXCLUDED.body, "
                    "url = EXCLUDED.url, title_key = EXCLUDED.title_key, facets = EXCLUDED.facets"
                )
            )
            cursor.execute(
                f"INSERT INTO {self.docs} (doc_id, key, visible_from, tier, title, teaser, body, "
                "url, title_key, facets) SELECT d, k, v, t, ti, te, b, u, tk, f::integer[] FROM "
                "unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::text[], %s::text[], "
                "%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
                f"AS r(d, k, v, t, ti, te, b, u, tk, f){upsert}",
                columns,
            )
            self._add_words(cursor, (w for d in docs for w in WORD_RE.findall(d.title)))
            self._log_for_rebuild(cursor, [d.id for d in docs])
        return len(docs)

    def _add_words(self, cursor, words: Iterable[str]) -> None:
        """Remember title and suggestion words for "did you mean"."""
        fresh = sorted({w.casefold() for w in words if len(w) >= MIN_SPELL_WORD and w.isalpha()})
        if fresh:
            cursor.execute(
                f"INSERT INTO {WORDS} (term) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                [fresh],
            )

    def remove(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.docs} WHERE doc_id = ANY(%s)", [ids])
            self._log_for_rebuild(cursor, ids)

    # -- rebuilding aside (see SearchBackend.begin_rebuild) ----------------------------------

    def _log_for_rebuild(self, cursor, ids: list[int]) -> None:
        """While a rebuild runs, remember which documents DOCS was written for. This runs
        after the write, whose lock on DOCS a rebuild's start waits for (begin_rebuild), so a
        writer either commits before the rebuild reads anything or sees its row here."""
        if self.docs != DOCS or not ids:
            return
        cursor.execute(
            f"INSERT INTO {REBUILD_LOG} (doc_id) SELECT DISTINCT unnest(%s::bigint[]) "
            f"WHERE EXISTS (SELECT 1 FROM {REBUILD}) ON CONFLICT DO NOTHING",
            [ids],
        )

    def begin_rebuild(self) -> PostgresSearchBackend:
        aside = copy.copy(self)
        aside.docs = f"{DOCS}{REBUILT_SUFFIX}"
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {aside.docs}")
            for statement in documents_sql(aside.docs):
                cursor.execute(statement)
            cursor.execute(f"DELETE FROM {REBUILD_LOG}")
            cursor.execute(f"DELETE FROM {REBUILD}")
            # waits for the writers of DOCS in flight (they commit first) and holds off new
            # ones until the caller commits: every later write sees the row and logs its ids
            cursor.execute(f"LOCK TABLE {DOCS} IN SHARE MODE")
            cursor.execute(f"INSERT INTO {REBUILD} (started) VALUES (now())")
        return aside

    def rebuild_started(self) -> dt.datetime | None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT max(started) FROM {REBUILD}")
            return cursor.fetchone()[0]

    def take_rebuild_changes(self) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {REBUILD_LOG} RETURNING doc_id")
            return sorted(int(row[0]) for row in cursor.fetchall())

    def lock_for_swap(self) -> None:
        with self.connection.cursor() as cursor:  # EXCLUSIVE: writers wait, readers do not
            cursor.execute(f"LOCK TABLE {DOCS} IN EXCLUSIVE MODE")

    def swap_rebuild(self) -> None:
        retiring, rebuilt = f"{DOCS}{RETIRING_SUFFIX}", f"{DOCS}{REBUILT_SUFFIX}"
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {retiring}")
            self._rename_table(cursor, DOCS, retiring)
            self._rename_table(cursor, rebuilt, DOCS)
            cursor.execute(f"DELETE FROM {REBUILD_LOG}")
            cursor.execute(f"DELETE FROM {REBUILD}")

    def _rename_table(self, cursor, table: str, name: str) -> None:
        """Rename a documents table and its indexes (named after it: see documents_sql)."""
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s "
            "AND schemaname = current_schema()",
            [table],
        )
        for (index,) in cursor.fetchall():
            if index.startswith(table):
                cursor.execute(f"ALTER INDEX {index} RENAME TO {name}{index[len(table) :]}")
        cursor.execute(f"ALTER TABLE {table} RENAME TO {name}")

    def drop_retired_index(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {DOCS}{RETIRING_SUFFIX}")

    def compact_step(self) -> bool:
        """Fresh statistics for the planner, whose estimates decide the plan (_planned); a
        rebuilt table has none until autovacuum gets to it."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.docs}")
        return False

    def abandon_rebuild(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {DOCS}{REBUILT_SUFFIX}")
            cursor.execute(f"DELETE FROM {REBUILD_LOG}")
            cursor.execute(f"DELETE FROM {REBUILD}")

    def clear(self) -> None:
        # DELETE, not TRUNCATE: readers keep seeing the old rows until the caller commits
        with self.connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.docs}")
            return int(cursor.fetchone()[0])

    def indexed_ids(self) -> set[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT doc_id FROM {self.docs}")
            return {int(row[0]) for row in cursor.fetchall()}

    # -- searching ---------------------------------------------------------------------------

    def _tsquery(self, cursor, text: str, config: str = CONFIG) -> str:
        """The tsquery (as text) for tsquery syntax whose operands are all quoted; empty when
        every word is a stop word."""
        if not text:
            return ""
        cursor.execute(f"SELECT to_tsquery('{config}', %s)::text", [text])
        return str(cursor.fetchone()[0] or "")

    def _families(self, cursor, parsed: ParsedQuery) -> set[str]:
        """The word families worth a prefix: the stemmer shortens some bases further
        ("election" to "elect", which would also find "electric"), so only those whose stem
        keeps MIN_FAMILY_BASE letters."""
        bases = sorted({t.family for clause in parsed.clauses for t in clause if t.family})
        if not bases:
            return set()
        cursor.execute(
            f"SELECT b, to_tsquery('{CONFIG}', q)::text "
            "FROM unnest(%s::text[], %s::text[]) AS f(b, q)",
            [bases, [quoted(b) for b in bases]],
        )
        return {b for b, stem in cursor.fetchall() if len(stem or "") - 2 >= MIN_FAMILY_BASE}

    def _match(self, tiers: frozenset[str], tsquery: str) -> list[tuple[str, list[object]]]:
        """Documents matching `tsquery` in the text their reader may read, as one condition
        per tier (disjoint), each answered by that tier's partial GIN index: the full vector
        for tiers the reader may read, title and teaser for the others."""
        return [
            (
                f"tier = '{tier}' AND tsv_{'full' if tier in tiers else 'head'} @@ %s::tsquery",
                [tsquery],
            )
            for tier in TIERS
        ]

    def _where(self, cursor, request: SearchRequest) -> Where | None:
        """The conditions selecting every match, or None if nothing can match."""
        where = Where()
        if request.has_text:
            families = self._families(cursor, request.query)
            text = to_tsquery_text(request.query, families)
            where.tsquery = self._tsquery(cursor, text)
            if not where.tsquery:
                return None  # only stop words
            where.branches = self._match(request.tiers, where.tsquery)
            loose = to_tsquery_text(request.query, families, phrases=False)
            if loose != text:
                loose_tsquery = self._tsquery(cursor, loose)
                if loose_tsquery and loose_tsquery != where.tsquery:
                    where.loose_branches = self._match(request.tiers, loose_tsquery)
                    readable = sorted(t for t in request.tiers if t in TIERS)
                    where.check = (
                        "(CASE WHEN d.tier = ANY(%s) THEN d.tsv_full ELSE d.tsv_head END) "
                        "@@ %s::tsquery"
                    )
                    where.check_params = [readable, where.tsquery]
                    self._narrow_to_pairs(cursor, request.query, where)
        pairs = {(f, v) for f, values in request.filters.items() for v in values}
        codes = self._codes(cursor, pairs, create=False)
        if len(codes) < len(pairs):
            return None  # a value no document carries
        parts: list[str] = []
        for code in sorted(codes.values()):  # the value for everyone, or for this reader's tiers
            parts.append("facets && %s::integer[]")
            where.rest_params.append(
                [code]
                + [restricted_code(code, t) for t in sorted(request.tiers) if t in RESTRICTED_TIERS]
            )
        if request.date_from:
            parts.append("key >= %s")
            where.rest_params.append(key_bound(request.date_from))
        if request.date_to:
            parts.append("key < %s")
            where.rest_params.append(key_bound(request.date_to))
        parts.append("visible_from <= %s")
        where.rest_params.append(request.now or dt.datetime.now(dt.UTC))
        where.rest = " AND ".join(parts)
        return where

    def _narrow_to_pairs(self, cursor, parsed: ParsedQuery, where: Where) -> None:
        """Every match holds each positive phrase's adjacent word pairs (PAIRS): that
        condition, which the pairs index answers, narrows both the matches and the documents
        holding the phrases' words to a few, before any vector is read."""
        phrases = [
            " <-> ".join(quoted(w) for w in clause[0].words)
            for clause in parsed.clauses
            if len(clause) == 1
            and clause[0].is_phrase
            and not clause[0].negated
            and not clause[0].prefix
        ]
        if not phrases:
            return
        cursor.execute(
            f"SELECT to_tsquery('{CONFIG}', q)::text FROM unnest(%s::text[]) AS q", [phrases]
        )
        pairs = phrase_pairs_tsquery_text(row[0] or "" for row in cursor.fetchall())
        if not pairs:
            return
        # the pairs alone: a GIN match of plain lexemes needs no recheck, so the expression
        # (a parse of the whole text) is never evaluated; with it beside the phrase, whose
        # match PostgreSQL rechecks, it would be, for every candidate
        cursor.execute(
            f"SELECT doc_id FROM {DOCS} WHERE {PAIRS} @@ %s::tsquery LIMIT %s",
            [pairs, self.phrase_checks + 1],
        )
        holding = [int(row[0]) for row in cursor.fetchall()]
        if len(holding) > self.phrase_checks:
            return  # a common phrase: the bounded check of its words (_phrase_pass) is cheaper
        condition = " AND doc_id = ANY(%s::bigint[])"
        for branches in (where.branches, where.loose_branches):
            branches[:] = [(c + condition, [*params, holding]) for c, params in branches]

    def search(self, request: SearchRequest) -> SearchResults:
        parsed = request.query
        empty = SearchResults(hits=[], total=0, note=parsed.note)
        if not request.selects_anything:
            return empty
        # The planner prices `tsvector @@ tsquery` as one operator call and so prefers reading
        # every row for a common word; each row then costs a TOAST fetch of its vector. The GIN
        # bitmap costs a fraction of that, so sequential scans are off for these statements
        # (and back as they were afterwards, should the caller's transaction go on).
        reading = self.reading
        with transaction.atomic(using=reading.alias), reading.cursor() as cursor:
            # one round trip: the select list is evaluated left to right
            reads = [f"current_setting({n!r})" for n in PLANNER]
            writes = [f"set_config({n!r}, {v!r}, true)" for n, v in PLANNER.items()]
            cursor.execute(f"SELECT {', '.join(reads + writes)}")
            before = cursor.fetchone()[: len(PLANNER)]
            results = self._search(cursor, request) or empty
            cursor.execute(
                f"SELECT {', '.join(f'set_config({n!r}, %s, true)' for n in PLANNER)}", before
            )
        return results

    def _search(self, cursor, request: SearchRequest) -> SearchResults | None:
        parsed = request.query
        where = self._where(cursor, request)
        if where is None:
            return None
        walk = self._phrase_pass(cursor, request, where) if where.loose_branches else None
        if walk is None:
            # a walk that would stop at exact_total + 1 matches is not worth starting when the
            # planner expects several times as many (GIN estimates are rough)
            planned = self._planned(cursor, where) if where.tsquery else None
            if planned is None or planned <= 3 * self.exact_total:
                walk = self._pass(cursor, request, where)
            walk = walk or self._sampled_pass(cursor, request, where, planned)
        if not walk.total:
            return None
        if request.sort == "date" or not where.tsquery:
            ranked = self._by_date(cursor, request, where, walk)
        else:
            ranked = self._ranked(cursor, request, where, walk)
        return SearchResults(
            hits=self._hits(cursor, request, ranked, where.tsquery),
            total=walk.total,
            note=parsed.note,
            facets=self._facets(cursor, request, walk),
            facets_estimated=bool(request.facets) and walk.share < KEY_SHIFT,
            total_estimated=walk.estimated,
        )

    def _pass(self, cursor, request: SearchRequest, where: Where) -> Pass | None:
        """One walk over up to exact_total + 1 matches: how many there are, the ids of the
        newest rank_window, and facet value counts (of an even sample above exact_facets);
        None when there are more than exact_total (then see _sampled_pass)."""
        # the sample: the matches whose hashed low key bits fall below `share` of KEY_SHIFT
        sampled = f"m.key & {KEY_SHIFT - 1} < (SELECT share FROM s)"
        facet_counts = _facet_counts_sql("m", sampled) if request.facets else "NULL::jsonb"
        matches, params = where.select("doc_id, key, facets")
        cursor.execute(
            f"""
            WITH m AS MATERIALIZED ({matches} LIMIT %s),
                 n AS (SELECT count(*) AS total FROM m),
                 s AS (SELECT CASE WHEN total > %s THEN greatest(1, {KEY_SHIFT} * %s / total)
                            ELSE {KEY_SHIFT} END AS share FROM n)
            SELECT total,
                   ARRAY(SELECT doc_id FROM m ORDER BY key DESC, doc_id DESC LIMIT %s),
                   {facet_counts}
            FROM n WHERE total <= %s
            """,
            [
                *params,
                self.exact_total + 1,
                self.exact_facets,
                self.exact_facets,
                self.rank_window,
                self.exact_total,
            ],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        total, newest, counts = row
        share = KEY_SHIFT
        if total > self.exact_facets:
            share = max(1, KEY_SHIFT * self.exact_facets // total)
        ids = [int(i) for i in newest]
        return Pass(int(total), ids, _json(counts), share, complete=len(ids) == int(total))

    def _planned(self, cursor, where: Where) -> int:
        """The planner's estimate of how many documents match (without running the query)."""
        matches, params = where.select("doc_id")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {matches}", params)
        return int(_json(cursor.fetchone()[0])[0]["Plan"]["Plan Rows"])

    def _phrase_pass(self, cursor, request: SearchRequest, where: Where) -> Pass | None:
        """For a query with phrases whose words are in more than phrase_checks documents:
        check the phrases on an even sample of those (count and facet counts, scaled up) and
        on the newest of them (the ones ranked). None when there are few (or the bounded
        check finds less than the page asked for): the exact walk then checks every one."""
        loose = where.loosened()
        planned = self._planned(cursor, loose)
        if planned <= self.phrase_checks:
            return None
        checks = self.phrase_checks // 2
        share = max(1, min(KEY_SHIFT, KEY_SHIFT * checks // planned))
        sample, params = loose.select("doc_id, key", f"key & {KEY_SHIFT - 1} < {share}")
        facet_counts = _facet_counts_sql("h") if request.facets else "NULL::jsonb"
        cursor.execute(
            f"""
            WITH c AS MATERIALIZED ({sample}),
                 h AS MATERIALIZED (SELECT d.facets FROM c JOIN {DOCS} d
                                    ON d.doc_id = c.doc_id WHERE {where.check})
            SELECT (SELECT count(*) FROM h), ARRAY(SELECT key FROM c ORDER BY key DESC),
                   {facet_counts}
            """,
            [*params, *where.check_params],
        )
        sampled, keys, counts = cursor.fetchone()
        estimate = round(int(sampled) * KEY_SHIFT / share)
        if estimate * checks < (request.offset + request.limit) * max(planned, len(keys)):
            return None  # the newest `checks` would hold less than a page: check them all
        reach = math.ceil(checks * share / KEY_SHIFT)  # sampled keys among the newest `checks`
        extra = f"key >= {int(keys[reach - 1])}" if len(keys) >= reach else ""
        newest, params = loose.select("doc_id, key", extra)
        cursor.execute(
            f"""
            WITH c AS MATERIALIZED (SELECT doc_id, key FROM ({newest}) AS m
                                    ORDER BY key DESC, doc_id DESC LIMIT %s)
            SELECT c.doc_id FROM c JOIN {DOCS} d ON d.doc_id = c.doc_id WHERE {where.check}
            ORDER BY c.key DESC, c.doc_id DESC LIMIT %s
            """,
            [*params, checks, *where.check_params, self.rank_window],
        )
        ids = [int(row[0]) for row in cursor.fetchall()]
        if len(ids) < request.offset + request.limit:
            return None
        total = max(len(ids), estimate)
        return Pass(total, ids, _json(counts), share, estimated=True)

    def _sampled_pass(
        self, cursor, request: SearchRequest, where: Where, planned: int | None = None
    ) -> Pass:
        """For more than exact_total matches: count an even sample of them (sized from the
        planner's estimate to hold about exact_facets matches) and scale up; the newest
        rank_window come from the key range the sample says holds them."""
        if planned is None:
            planned = self._planned(cursor, where)
        basis = max(self.exact_total + 1, planned)
        share = max(1, min(KEY_SHIFT, KEY_SHIFT * self.exact_facets // basis))
        sample, params = where.select("key, facets", f"key & {KEY_SHIFT - 1} < {share}")
        facet_counts = _facet_counts_sql("m") if request.facets else "NULL::jsonb"
        cursor.execute(
            f"""
            WITH m AS MATERIALIZED ({sample})
            SELECT (SELECT count(*) FROM m), ARRAY(SELECT key FROM m ORDER BY key DESC),
                   {facet_counts}
            """,
            params,
        )
        sampled, keys, counts = cursor.fetchone()
        total = max(self.exact_total + 1, round(int(sampled) * KEY_SHIFT / share))
        # the sampled key below which lie, with a margin, the rank_window newest matches
        reach = math.ceil(1.25 * self.rank_window * share / KEY_SHIFT)
        extra = f"key >= {int(keys[reach - 1])}" if len(keys) >= reach else ""
        newest, params = where.select("doc_id, key", extra)
        cursor.execute(
            f"SELECT doc_id FROM ({newest}) AS m ORDER BY key DESC, doc_id DESC LIMIT %s",
            [*params, self.rank_window],
        )
        ids = [int(row[0]) for row in cursor.fetchall()]
        return Pass(total, ids, _json(counts), share, estimated=share < KEY_SHIFT)

    def _by_date(self, cursor, request, where: Where, walk: Pass) -> list[tuple[int, float]]:
        end, newest = request.offset + request.limit, walk.newest
        if end <= len(newest) or walk.complete:
            return [(doc_id, 0.0) for doc_id in newest[request.offset : end]]
        matches, params = where.select("doc_id, key")
        cursor.execute(
            f"SELECT doc_id FROM ({matches}) AS m ORDER BY key DESC, doc_id DESC "
            "LIMIT %s OFFSET %s",
            [*params, request.limit, request.offset],
        )
        return [(int(row[0]), 0.0) for row in cursor.fetchall()]

    def _ranked(self, cursor, request, where: Where, walk: Pass) -> list[tuple[int, float]]:
        """The page, best first, among the newest matches and, when those are not all of
        them, the exact title and title-phrase matches however old."""
        parsed: ParsedQuery = request.query
        newest = walk.newest
        now = (request.now or dt.datetime.now(dt.UTC)).timestamp()
        readable = sorted(t for t in request.tiers if t in TIERS)
        score = (
            f"ts_rank('{RANK_WEIGHTS}', CASE WHEN tier = ANY(%s) THEN tsv_full ELSE tsv_head END, "
            f"%s::tsquery, {RANK_NORMALIZATION}) * (1.0 + {RECENCY_BOOST} * "
            f"exp(-greatest(0.0, %s - (key / {KEY_SHIFT})) / {RECENCY_SECONDS}))"
        )
        exact = exact_title_key(parsed)
        keep: list[int] = []
        if not walk.complete:
            # A title holding every positive word (no OR, no exclusion) implies a match.
            plain = all(len(c) == 1 and not c[0].negated for c in parsed.clauses)
            condition = where.rest if plain else where.sql
            condition_params = where.rest_params if plain else where.params
            if exact:
                cursor.execute(
                    f"SELECT doc_id FROM {DOCS} WHERE title_key = %s AND {where.sql} LIMIT 50",
                    [exact, *where.params],
                )
                keep += [int(row[0]) for row in cursor.fetchall()]
            phrase = self._tsquery(cursor, title_phrase_tsquery_text(parsed))
            if phrase:
                cursor.execute(
                    f"SELECT doc_id FROM {DOCS} WHERE tsv_title @@ %s::tsquery AND {condition} "
                    "ORDER BY key DESC LIMIT %s",
                    [phrase, *condition_params, TITLE_WINDOW],
                )
                keep += [int(row[0]) for row in cursor.fetchall()]
        candidates = sorted({*newest, *keep})
        found: list[tuple[int, float]] = []
        if request.offset < len(candidates):
            cursor.execute(
                f"SELECT doc_id, {score} AS score FROM {DOCS} WHERE doc_id = ANY(%s) "
                "ORDER BY title_key = %s DESC, score DESC, key DESC LIMIT %s OFFSET %s",
                [readable, where.tsquery, now, candidates, exact, request.limit, request.offset],
            )
            found = [(int(d), round(float(s), 4)) for d, s in cursor.fetchall()]
        wanted = request.limit - len(found)
        if wanted > 0 and not walk.complete:  # past the ranked: the others, newest first
            matches, params = where.select("doc_id, key")
            cursor.execute(
                f"SELECT doc_id FROM ({matches}) AS m WHERE NOT doc_id = ANY(%s) "
                "ORDER BY key DESC, doc_id DESC LIMIT %s OFFSET %s",
                [*params, candidates, wanted, max(0, request.offset - len(candidates))],
            )
            found += [(int(row[0]), 0.0) for row in cursor.fetchall()]
        return found

    def _hits(self, cursor, request, ranked, tsquery: str) -> list[Hit]:
        if not ranked:
            return []
        readable = sorted(t for t in request.tiers if t in TIERS)
        ids = [d for d, _ in ranked]
        if tsquery:
            cursor.execute(
                f"""
                SELECT doc_id,
                       ts_headline('{CONFIG}', {_plain("title")}, q, %s),
                       ts_headline('{CONFIG}', {_plain("teaser")}, q, %s),
                       CASE WHEN tier = ANY(%s)
                            THEN ts_headline('{CONFIG}', {_plain("body")}, q, %s) ELSE '' END,
                       teaser, CASE WHEN tier = ANY(%s) THEN body ELSE '' END
                FROM {DOCS}, CAST(%s AS tsquery) AS q WHERE doc_id = ANY(%s)
                """,
                [
                    f"{HEADLINE}, HighlightAll=true",
                    SNIPPET,
                    readable,
                    SNIPPET,
                    readable,
                    tsquery,
                    ids,
                ],
            )
            rows = {
                int(r[0]): (
                    r[1].translate(RESTORE),
                    _excerpt(r[2].translate(RESTORE), r[4]),
                    _excerpt(r[3].translate(RESTORE), r[5]),
                )
                for r in cursor.fetchall()
            }
        else:
            cursor.execute(
                f"SELECT doc_id, title, teaser, CASE WHEN tier = ANY(%s) THEN body ELSE '' END "
                f"FROM {DOCS} WHERE doc_id = ANY(%s)",
                [readable, ids],
            )
            rows = {int(r[0]): (r[1], _first_words(r[2]), _first_words(r[3])) for r in cursor}
        hits = []
        for doc_id, score in ranked:
            if doc_id in rows:
                title, teaser, body = rows[doc_id]
                hits.append(
                    Hit(
                        id=doc_id,
                        score=score,
                        title_html=marked_html(title),
                        teaser_snippet=marked_html(teaser),
                        body_snippet=marked_html(body),
                    )
                )
        return hits

    def _facets(self, cursor, request, walk: Pass) -> dict[str, list[FacetCount]]:
        """Counts per requested facet from the walk's code counts, scaled up when sampled."""
        facets: dict[str, list[FacetCount]] = {name: [] for name in request.facets}
        codes, share, total = walk.codes, walk.share, walk.total
        if not request.facets or not codes:
            return facets
        counted: dict[int, int] = {}
        for stored, count in codes.items():
            code = readable_code(int(stored), request.tiers)
            if code is not None:
                counted[code] = counted.get(code, 0) + int(count)
        cursor.execute(
            f"SELECT code, facet, value FROM {VALUES} WHERE code = ANY(%s) AND facet = ANY(%s)",
            [sorted(counted), list(request.facets)],
        )
        for code, facet, value in cursor.fetchall():
            estimate = round(counted[int(code)] * KEY_SHIFT / share)
            facets[facet].append(FacetCount(value, min(total, estimate)))
        for counts in facets.values():
            counts.sort(key=lambda c: (-c.count, c.value))
        return facets

    # -- completion and spelling -------------------------------------------------------------

    def replace_suggestions(self, suggestions: Iterable[Suggestion]) -> None:
        rows = [(s.kind, s.label, s.url, float(s.weight)) for s in suggestions]
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SUGGEST}")
            if rows:
                kinds, labels, urls, weights = (list(c) for c in zip(*rows, strict=True))
                cursor.execute(
                    f"INSERT INTO {SUGGEST} (kind, label, url, weight) "
                    "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::float8[])",
                    [kinds, labels, urls, weights],
                )
            self._add_words(cursor, (w for r in rows for w in WORD_RE.findall(r[1])))

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        words = WORD_RE.findall(prefix)[:8]
        if not words:
            return []
        with self.reading.cursor() as cursor:
            tsquery = self._tsquery(cursor, " & ".join(quoted(w, "*") for w in words), SIMPLE)
            if not tsquery:
                return []
            # named things first (few, ranked by weight), then the newest matching titles
            cursor.execute(
                f"SELECT kind, label, url, weight FROM {SUGGEST} WHERE words @@ %s::tsquery "
                "ORDER BY weight DESC, length(label), label LIMIT %s",
                [tsquery, limit],
            )
            found = [Suggestion(r[0], r[1], r[2], float(r[3])) for r in cursor.fetchall()]
            if len(found) < limit:
                cursor.execute(
                    f"SELECT title, url FROM {DOCS} WHERE title_words @@ %s::tsquery "
                    "AND visible_from <= now() ORDER BY key DESC LIMIT %s",
                    [tsquery, limit - len(found)],
                )
                found += [Suggestion("article", r[0], r[1]) for r in cursor.fetchall()]
        return found

    def similar_terms(self, word: str, limit: int = 3) -> list[str]:
        word = word.casefold()
        if len(word) < 3 or self.features["pg_trgm"]:
            return []  # without pg_trgm there is no "did you mean" (features says why)
        with self.reading.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {WORDS} WHERE term %% %s "
                "ORDER BY similarity(term, %s) DESC, term LIMIT 200",
                [word, word],
            )
            candidates = [row[0] for row in cursor.fetchall()]
        scored = [
            (difflib.SequenceMatcher(None, word, c).ratio(), c) for c in candidates if c != word
        ]
        scored = [(r, c) for r, c in scored if r >= 0.75]
        scored.sort(key=lambda rc: (-rc[0], rc[1]))
        return [c for _, c in scored[:limit]]

    def statistics(self) -> dict[str, object]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(%s::text[]) AS t",
                [TABLES],
            )
            size = int(cursor.fetchone()[0] or 0)
        features = self.features
        return {
            "documents": self.count(),
            "index_bytes": size,
            "missing": {name: why for name, why in features.items() if why},
        }


def _json(value):
    """A jsonb value: Django has psycopg hand it over as text."""
    return json.loads(value) if isinstance(value, str) else (value or {})


def _excerpt(fragment: str, text: str) -> str:
    """A headline fragment with … where it cuts the text short."""
    if not fragment:
        return ""
    plain = fragment.replace(OPEN, "").replace(CLOSE, "")
    if plain == text:
        return fragment
    start = text.find(plain)
    before = "…" if start != 0 else ""
    after = "…" if start < 0 or start + len(plain) < len(text) else ""
    return before + fragment + after


def _first_words(text: str, count: int = SNIPPET_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")
