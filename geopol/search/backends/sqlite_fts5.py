"""SQLite FTS5 search, in the same database file and transaction as the content it indexes.

Plan, measured in bench/bench_search.py: the FTS5 rowid is a date-ordered key (publication
second * 1024 + id % 1024), so date filters are rowid ranges and "newest first" is an index
walk; facet values are tokens of a `tags` column, so filters are cheap intersections; bm25 is
computed for a bounded candidate set (the newest RANK_WINDOW matches plus documents whose title
holds the query as a phrase, plus exact title matches), and snippets only for the page shown.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from geopol.core.text import fold
from geopol.search.backends.base import (
    Document,
    FacetCount,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResults,
)
from geopol.search.backends.plan import (
    CLOSE,
    KEY_SHIFT,
    OPEN,
    RECENCY_BOOST,
    RECENCY_SECONDS,
    TITLE_WINDOW,
    document_key,
    key_bound,
    marked_html,
)
from geopol.search.backends.sqlite_schema import (
    CREATE_SQL,
    DOC_FACETS,
    DOCS,
    DROP_SQL,
    REBUILD,
    REBUILD_LOG,
    REBUILT,
    REBUILT_SUFFIX,
    RETIRED,
    RETIRING_SUFFIX,
    SAMPLE,
    SAMPLE_SHARE,
    TABLE,
    TEXT_COLUMNS,
    TITLE_TERMS,
    VALUES,
    VOCABULARY,
    index_tables_sql,
)
from geopol.search.backends.sqlite_suggest import SQLiteSuggestions
from geopol.search.query import (
    WORD_RE,
    ParsedQuery,
    exact_title_key,
    title_key,
    title_phrase,
    to_fts5,
)

# bm25 column weights: title, teaser, then the body in the column of its access tier; tags 0.
WEIGHTS = (10.0, 4.0, 1.0, 1.0, 1.0, 0.0)
BODY_COLUMNS = {"public": "body", "registered": "body_registered", "members": "body_members"}
EVERY_DOCUMENT = "f0"  # a tag every document carries: date-only searches match it

# Totals are exact up to this many matches (the newest this many plus one are fetched once,
# in one walk that gives the count, the rank window and the facet keys); above it they are
# estimated from SAMPLE and flagged. Settable per backend in SEARCH_BACKENDS ("EXACT_TOTAL").
EXACT_TOTAL = 4000
COMPACT_PAGES = 500  # pages a compaction step may write (about 2 MB, tens of milliseconds)
FAMILY_SPREAD = 2  # letters a family member's stem may add to the base ("interven" + "t")
FAMILY_SECONDS = 600  # how long a looked-up family is remembered
# A family member found in fewer documents than this share of the word's own stem is left
# out: it adds almost no matches, and its prefix (which the porter tokenizer stems again:
# "national"* is searched as "nation"*) can cost a merge of every doclist under the base.
FAMILY_MIN_SHARE = 0.01
# A family member that is a prefix of the word's own stem ("interven" for "intervention") is
# searched as a prefix covering the word itself; above this many documents of the word, that
# merge costs more than the few extra matches are worth, and the word is searched alone.
FAMILY_PREFIX_MAX_DOCS = 5000

# A facet value for everyone is the token f<code>; one only for readers of the document's tier
# is g<code> (registered) or m<code> (members, and any unknown tier).
TIER_LETTERS = {"public": "f", "registered": "g", "members": "m"}


def _tag_token(code: int, tier: str = "public") -> str:
    return f"{TIER_LETTERS.get(tier, 'm')}{code}"


def _doc_codes(d: Document, codes: dict) -> dict[int, str]:
    """Facet codes of a document and the tier each is restricted to ("" for everyone)."""
    found = {codes[(f, v)]: "" for f, values in d.facets.items() for v in values}
    if d.tier != "public":
        for f, values in d.restricted_facets.items():
            for v in values:
                found.setdefault(codes[(f, v)], d.tier)
    return found


@dataclass(frozen=True)
class _Matches:
    """A request's matches: one MATCH expression and key bounds (dates, scheduled documents),
    put to the index or to its sample, which have the same columns."""

    expression: str
    bounds: str  # " AND {t}.rowid ..." with {t} the table

    def on(self, table: str) -> tuple[str, list[object]]:
        return f"{table} MATCH %s" + self.bounds.replace("{t}", table), [self.expression]


TAG_LIKE = re.compile(r"[fgm]\d*")  # a word a tag token (f12, g3, m45) could match or start


def _may_match_tags(parsed: ParsedQuery) -> bool:
    return any(
        TAG_LIKE.fullmatch(fold(word))
        for clause in parsed.clauses
        for term in clause
        for word in term.words
    )


def _sampled(key: int) -> bool:
    return (key & (KEY_SHIFT - 1)) < SAMPLE_SHARE


def _quoted(expression: str, columns: Sequence[str]) -> str:
    return "{" + " ".join(columns) + "} : (" + expression + ")"


class SQLiteFTS5Backend(SQLiteSuggestions, SearchBackend):
    def __init__(self, alias: str = "default", **options: object):
        super().__init__(alias, **options)
        self._family_cache: dict[str, tuple[float, dict[str, int]]] = {}
        self.exact_total = int(self.options.pop("EXACT_TOTAL", EXACT_TOTAL))  # type: ignore[call-overload]
        self._write_to("")

    def _write_to(self, suffix: str) -> None:
        """Write (and count) in the live index (""), or in the tables a rebuild fills."""
        self.suffix = suffix
        self.fts, self.docs, self.doc_facets, self.titles, self.sample, self.title_terms = (
            f"{t}{suffix}" for t in REBUILT
        )

    @property
    def connection(self):
        connection = connections[self.database]
        if connection.vendor != "sqlite":
            raise ImproperlyConfigured(
                "SQLiteFTS5Backend needs a SQLite database; with DATABASE_URL set to PostgreSQL "
                "set SEARCH_BACKENDS to geopol.search.backends.postgres.PostgresSearchBackend"
            )
        return connection

    def setup(self) -> None:
        with self.connection.cursor() as cursor:
            for statement in CREATE_SQL:
                cursor.execute(statement)

    # -- writing -----------------------------------------------------------------------------

    def _facet_codes(self, cursor, pairs: set[tuple[str, str]], create: bool) -> dict:
        """Codes of facet values, created if asked. Read from the table every time: a code made
        in a transaction that rolls back may later be given to another value, so a
        process-wide cache could go wrong."""
        wanted = sorted(pairs)
        if wanted and create:
            cursor.executemany(
                f"INSERT OR IGNORE INTO {VALUES} (facet, value) VALUES (%s, %s)", wanted
            )
        codes: dict[tuple[str, str], int] = {}
        for start in range(0, len(wanted), 400):
            chunk = wanted[start : start + 400]
            cursor.execute(
                f"SELECT code, facet, value FROM {VALUES} WHERE "
                + " OR ".join(["(facet = %s AND value = %s)"] * len(chunk)),
                [part for pair in chunk for part in pair],
            )
            codes.update({(facet, value): int(code) for code, facet, value in cursor.fetchall()})
        return codes

    def _facet_values(self, cursor, codes: Iterable[int]) -> dict[int, tuple[str, str]]:
        wanted = sorted(set(codes))
        values: dict[int, tuple[str, str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            cursor.execute(
                f"SELECT code, facet, value FROM {VALUES} "
                f"WHERE code IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            values.update({int(code): (facet, value) for code, facet, value in cursor.fetchall()})
        return values

    def _taken(self, cursor, keys: list[int]) -> set[int]:
        taken: set[int] = set()
        for start in range(0, len(keys), 400):
            chunk = keys[start : start + 400]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT key FROM {self.docs} WHERE key IN ({marks}) "
                f"UNION ALL SELECT key FROM {RETIRED} WHERE key IN ({marks})",
                chunk + chunk,
            )
            taken.update(int(row[0]) for row in cursor.fetchall())
        return taken

    def _free_keys(self, cursor, docs: list[Document]) -> dict[int, int]:
        """A unique date-ordered key per document, never one used before: on a clash (same
        second and hashed bits, or a retired key) the next free key."""
        keys = {d.id: document_key(d.id, d.published) for d in docs}
        chosen: set[int] = set()
        pending = dict(keys)
        while pending:
            taken = self._taken(cursor, list(set(pending.values()))) | chosen
            clashing = {}
            for doc_id, key in pending.items():
                if key in taken or key in chosen:
                    clashing[doc_id] = key + 1
                else:
                    keys[doc_id] = key
                    chosen.add(key)
            pending = clashing
        return keys

    def index(self, documents: Iterable[Document], new: bool = False) -> int:
        docs = list({d.id: d for d in documents}.values())
        if not docs:
            return 0
        self._family_cache.clear()  # new stems (other processes see them within minutes)
        with self.connection.cursor() as cursor:
            if not new:
                self._delete(cursor, [d.id for d in docs])
            pairs = {
                (f, v)
                for d in docs
                for facets in (d.facets, d.restricted_facets)
                for f, values in facets.items()
                for v in values
            }
            codes = self._facet_codes(cursor, pairs, create=True)
            keys = self._free_keys(cursor, docs)
            fts_rows, doc_rows, facet_rows, suggest_rows = _index_rows(docs, keys, codes)
            self._insert_rows(cursor, fts_rows, doc_rows, facet_rows, suggest_rows)
            self._add_words(cursor, (w for d in docs for w in WORD_RE.findall(d.title)))
            self._log_for_rebuild(cursor, [d.id for d in docs])
        return len(docs)

    def _insert_rows(
        self,
        cursor,
        fts_rows: list[tuple[object, ...]],
        doc_rows: list[tuple[object, ...]],
        facet_rows: list[tuple[int, int, str]],
        suggest_rows: list[tuple[object, ...]],
    ) -> None:
        """Write the rows of `_index_rows`: the index and its sample, the title terms, the
        documents, their facet codes and the titles completions offer."""
        for table, rows in (
            (self.fts, fts_rows),
            (self.sample, [r for r in fts_rows if _sampled(int(r[0]))]),  # type: ignore[call-overload]
        ):
            cursor.executemany(
                f"INSERT INTO {table} (rowid, {TEXT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        cursor.executemany(
            f"INSERT INTO {self.title_terms} (rowid, title) VALUES (%s, %s)",
            [r[:2] for r in fts_rows],
        )
        cursor.executemany(
            f"INSERT INTO {self.docs} (doc_id, key, visible_from, title_key) "
            "VALUES (%s, %s, %s, %s)",
            doc_rows,
        )
        if facet_rows:
            cursor.executemany(
                f"INSERT INTO {self.doc_facets} (key, code, tier) VALUES (%s, %s, %s)", facet_rows
            )
        cursor.executemany(
            f"INSERT INTO {self.titles} (rowid, label, url) VALUES (%s, %s, %s)",
            suggest_rows,
        )

    def _delete(self, cursor, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"SELECT key FROM {self.docs} WHERE doc_id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            keys = [(int(row[0]),) for row in cursor.fetchall()]
            if not keys:
                continue
            cursor.executemany(f"DELETE FROM {self.fts} WHERE rowid = %s", keys)
            cursor.executemany(f"DELETE FROM {self.title_terms} WHERE rowid = %s", keys)
            cursor.executemany(
                f"DELETE FROM {self.sample} WHERE rowid = %s", [k for k in keys if _sampled(k[0])]
            )
            cursor.executemany(f"DELETE FROM {self.titles} WHERE rowid = %s", keys)
            cursor.executemany(f"DELETE FROM {self.doc_facets} WHERE key = %s", keys)
            cursor.executemany(f"DELETE FROM {self.docs} WHERE key = %s", keys)
            cursor.executemany(f"INSERT OR IGNORE INTO {RETIRED} (key) VALUES (%s)", keys)

    def remove(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        with self.connection.cursor() as cursor:
            self._delete(cursor, ids)
            self._log_for_rebuild(cursor, ids)

    # -- rebuilding aside (see SearchBackend.begin_rebuild) ----------------------------------

    def _log_for_rebuild(self, cursor, ids: list[int]) -> None:
        """While a rebuild runs, remember which documents the live index was written for (the
        caller's IMMEDIATE transaction holds the write lock, so a rebuild starting or
        swapping is either before or after it)."""
        if self.suffix or not ids:
            return
        # read first: an INSERT takes SQLite's write lock even when it inserts nothing, and a
        # removal that found nothing to remove (or an index written beside a database on
        # another server) must not wait for it
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {REBUILD})")
        if not cursor.fetchone()[0]:
            return
        cursor.execute(
            f"INSERT OR IGNORE INTO {REBUILD_LOG} (doc_id) SELECT value FROM json_each(%s)",
            [json.dumps(ids)],
        )

    def begin_rebuild(self) -> SQLiteFTS5Backend:
        with self.connection.cursor() as cursor:
            self._drop_tables(cursor, REBUILT_SUFFIX)
            for statement in index_tables_sql(REBUILT_SUFFIX):
                cursor.execute(statement)
            cursor.execute(f"DELETE FROM {REBUILD_LOG}")
            cursor.execute(f"DELETE FROM {REBUILD}")
            cursor.execute(f"INSERT INTO {REBUILD} (started) VALUES (%s)", [time.time()])
        aside = copy.copy(self)
        aside._family_cache = {}
        aside._write_to(REBUILT_SUFFIX)
        return aside

    def rebuild_started(self) -> dt.datetime | None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT max(started) FROM {REBUILD}")
            started = cursor.fetchone()[0]
        return None if started is None else dt.datetime.fromtimestamp(started, dt.UTC)

    def take_rebuild_changes(self) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {REBUILD_LOG} RETURNING doc_id")
            return sorted(int(row[0]) for row in cursor.fetchall())

    def lock_for_swap(self) -> None:
        # the caller's transaction is IMMEDIATE (settings.py): it holds the one write lock
        with self.connection.cursor() as cursor:
            cursor.execute(f"UPDATE {REBUILD} SET started = started")

    def swap_rebuild(self) -> None:
        with self.connection.cursor() as cursor:
            self._drop_tables(cursor, RETIRING_SUFFIX)
            for table in REBUILT:  # FTS5 renames its shadow tables with it
                cursor.execute(f"ALTER TABLE {table} RENAME TO {table}{RETIRING_SUFFIX}")
                cursor.execute(f"ALTER TABLE {table}{REBUILT_SUFFIX} RENAME TO {table}")
            cursor.execute(f"DELETE FROM {REBUILD_LOG}")
            cursor.execute(f"DELETE FROM {REBUILD}")
        self._family_cache.clear()

    def drop_retired_index(self) -> None:
        with self.connection.cursor() as cursor:
            self._drop_tables(cursor, RETIRING_SUFFIX)

    def abandon_rebuild(self) -> None:
        with self.connection.cursor() as cursor:
            self._drop_tables(cursor, REBUILT_SUFFIX)
            cursor.execute(f"DELETE FROM {REBUILD_LOG}")
            cursor.execute(f"DELETE FROM {REBUILD}")

    def _drop_tables(self, cursor, suffix: str) -> None:
        for table in REBUILT:
            cursor.execute(f"DROP TABLE IF EXISTS {table}{suffix}")

    def clear(self) -> None:
        # dropped and made anew (in the caller's transaction): a fresh FTS5 index, no reuse.
        # Facet value codes stay: other processes keep them cached and must not see a code
        # change meaning.
        kept = f"DROP TABLE IF EXISTS {VALUES}"
        with self.connection.cursor() as cursor:
            for statement in DROP_SQL + CREATE_SQL:
                if statement != kept:
                    cursor.execute(statement)

    def compact_step(self) -> bool:
        """Merge a bounded amount of the FTS5 segments that batches of writes leave (each
        statement then walks one doclist per term instead of one per segment: 30-40% less
        CPU per walk, measured). False once nothing is left to merge."""
        worked = False
        with self.connection.cursor() as cursor:
            for table in (self.fts, self.sample, self.title_terms):
                before = self.connection.connection.total_changes
                # a negative page count also merges segments of different levels, as
                # 'optimize' does, but a step at a time
                cursor.execute(
                    f"INSERT INTO {table} ({table}, rank) VALUES ('merge', %s)", [-COMPACT_PAGES]
                )
                # FTS5's documented test: two or more changes mean it merged something
                worked |= self.connection.connection.total_changes - before >= 2
        return worked

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.docs}")
            return int(cursor.fetchone()[0])

    def indexed_ids(self) -> set[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT doc_id FROM {self.docs}")
            return {int(row[0]) for row in cursor.fetchall()}

    # -- searching ---------------------------------------------------------------------------

    def _matches(self, cursor, request: SearchRequest) -> _Matches | None:
        """Every match of the request, as a WHERE clause for the index or its sample; None
        if nothing can match."""
        parsed = request.query
        columns = ["title", "teaser"] + [c for t, c in BODY_COLUMNS.items() if t in request.tiers]
        families = self._families(cursor, parsed) if request.has_text else {}
        parts = []
        if request.has_text:
            expression = to_fts5(parsed, families)
            # a column filter makes FTS5 read every match's positions to check the column
            # (a third of a phrase's walk); with every column but the tags readable and no
            # word shaped like a tag token, it filters nothing
            if len(columns) < len(WEIGHTS) - 1 or _may_match_tags(parsed):
                expression = _quoted(expression, columns)
            parts.append(expression)
        pairs = {(f, v) for f, values in request.filters.items() for v in values}
        codes = self._facet_codes(cursor, pairs, create=False)
        if len(codes) < len(pairs):
            return None  # a value no document carries
        for code in sorted(codes.values()):  # a value counts if everyone, or this reader, may
            tokens = sorted({_tag_token(code, t) for t in request.tiers} | {_tag_token(code)})
            parts.append(_quoted(" OR ".join(f'"{t}"' for t in tokens), ["tags"]))
        if not parts:
            parts = [_quoted(f'"{EVERY_DOCUMENT}"', ["tags"])]
        bounds = []  # ints of our own making, safe to inline
        if request.date_from:
            bounds.append(f"{{t}}.rowid >= {key_bound(request.date_from)}")
        if request.date_to:
            bounds.append(f"{{t}}.rowid < {key_bound(request.date_to)}")
        moment = (request.now or dt.datetime.now(dt.UTC)).timestamp()
        cursor.execute(f"SELECT key FROM {DOCS} WHERE visible_from > %s", [moment])
        hidden = [int(row[0]) for row in cursor.fetchall()]
        if hidden:
            bounds.append(f"{{t}}.rowid NOT IN ({', '.join(map(str, hidden))})")
        return _Matches(" AND ".join(parts), "".join(f" AND {b}" for b in bounds))

    def _families(self, cursor, parsed: ParsedQuery) -> dict[str, list[str]]:
        """For each word family in the query, the other stems the index holds for it: the
        stemmer keeps "intervent" (intervention) apart from "interven" (intervene). A family
        with no other stem adds nothing (a prefix over a common base would cost a merge of
        every doclist under it), nor does a stem far rarer than the word's own."""
        found: dict[str, list[str]] = {}
        now = time.monotonic()
        for clause in parsed.clauses:
            for term in clause:
                base = term.family
                if not base or base in found:
                    continue
                cached = self._family_cache.get(base)
                if cached is None or now - cached[0] > FAMILY_SECONDS:
                    cursor.execute(
                        f"SELECT term, doc FROM {VOCABULARY} WHERE term >= %s AND term < %s",
                        [base, base + "{"],
                    )
                    stems = {
                        r[0]: int(r[1])
                        for r in cursor.fetchall()
                        if len(r[0]) <= len(base) + FAMILY_SPREAD
                    }
                    cached = (now, stems)
                    self._family_cache[base] = cached
                stems = cached[1]
                word = fold(term.words[0])
                # the word's own stem: of the stems that start the word, the most frequent
                # ("cooperation" is "cooper", not a rare "cooperat")
                own = max(
                    (t for t in stems if word.startswith(t)),
                    key=lambda t: (stems[t], len(t)),
                    default="",
                )
                own_docs = stems.get(own, 0)
                found[base] = [
                    t
                    for t, docs in stems.items()
                    if t != own
                    and docs >= own_docs * FAMILY_MIN_SHARE
                    # "t"* over the word's own stem: every statement would merge all its
                    # doclists, the word's own included (FTS5 has no prefix index here)
                    and not (own.startswith(t) and own_docs > FAMILY_PREFIX_MAX_DOCS)
                ]
        return found

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """The statements of one search read one snapshot (a deferred read transaction in
        WAL): keys found in one statement are looked up in the same index by the next, even
        when a rebuild's swap commits in between."""
        connection = self.connection
        connection.ensure_connection()
        if connection.in_atomic_block or not connection.get_autocommit():
            yield  # the caller's transaction is the snapshot
            return
        raw = connection.connection
        raw.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            raw.execute("COMMIT")

    def search(self, request: SearchRequest) -> SearchResults:
        parsed = request.query
        empty = SearchResults(hits=[], total=0, note=parsed.note)
        if not request.selects_anything:
            return empty
        with self._snapshot(), self.connection.cursor() as cursor:
            matches = self._matches(cursor, request)
            if matches is None:
                return empty
            where, params = matches.on(TABLE)
            ranking = request.has_text and request.sort != "date"
            cap = max(self.exact_total, self.exact_facets, self.rank_window)
            # the sample's count (a sixteenth of the walk) says which plan fits
            estimate = self._estimated_total(cursor, matches) if ranking else None
            if estimate is not None and estimate <= cap:
                # few matches: score them all in one statement, which gives the count and
                # the facet keys too (a phrase of common words costs a walk per statement;
                # bm25 of a few thousand rows costs about a millisecond more)
                scored = self._scored(cursor, request, where, params)
                newest = sorted(scored, reverse=True)
                complete = True
                ranked = self._ranked_in_hand(cursor, request, scored, newest)
            else:
                # one walk, newest first, for the count, the rank window and the facet keys;
                # FTS5 stops after `cap + 1` matches, so a common word costs no more
                cursor.execute(
                    f"SELECT rowid FROM {TABLE} WHERE {where} ORDER BY rowid DESC LIMIT %s",
                    [*params, cap + 1],
                )
                newest = [int(row[0]) for row in cursor.fetchall()]
                complete = len(newest) <= cap
                if ranking:
                    ranked = self._ranked(cursor, request, where, params, newest)
                else:
                    ranked = self._newest(cursor, request, where, params, newest)
            if not newest:
                return empty
            total = len(newest)
            if not complete:
                if estimate is None:
                    estimate = self._estimated_total(cursor, matches)
                total = max(total, estimate)
            hits = self._hits(cursor, request, where, params, ranked)
            facets, estimated = self._facet_counts(
                cursor, request, matches, newest if complete else None, total
            )
        return SearchResults(
            hits=hits,
            total=total,
            note=parsed.note,
            facets=facets,
            facets_estimated=estimated,
            total_estimated=not complete,
        )

    def _estimated_total(self, cursor, matches: _Matches) -> int:
        where, params = matches.on(SAMPLE)
        cursor.execute(f"SELECT count(*) FROM {SAMPLE} WHERE {where}", params)
        return round(int(cursor.fetchone()[0]) * KEY_SHIFT / SAMPLE_SHARE)

    def _score(self, request: SearchRequest) -> str:
        weights = ", ".join(str(w) for w in WEIGHTS)
        now = (request.now or dt.datetime.now(dt.UTC)).timestamp()
        return (
            f"bm25({TABLE}, {weights}) * (1.0 + {RECENCY_BOOST} * "
            f"exp(-max(0.0, {now} - (rowid / {KEY_SHIFT})) / {RECENCY_SECONDS}))"
        )

    def _exact_titles(self, cursor, parsed: ParsedQuery) -> list[int]:
        key = exact_title_key(parsed)
        if not key:
            return []
        cursor.execute(f"SELECT key FROM {DOCS} WHERE title_key = %s LIMIT 50", [key])
        return [int(row[0]) for row in cursor.fetchall()]

    def _scored(self, cursor, request, where, params) -> dict[int, float]:
        cursor.execute(f"SELECT rowid, {self._score(request)} FROM {TABLE} WHERE {where}", params)
        return {int(k): float(score) for k, score in cursor.fetchall()}

    def _ranked_in_hand(self, cursor, request, scored, newest) -> list[tuple[int, float]]:
        """The page of a match set scored whole, in the order the bounded plan gives: the
        newest RANK_WINDOW and the older exact and title-phrase matches by score (exact
        titles first), then the others newest first."""
        exact = set(self._exact_titles(cursor, request.query))
        ranked, rest = newest, []
        if len(newest) > self.rank_window:
            cutoff = newest[self.rank_window - 1]
            older = {k for k in exact if k < cutoff}
            older |= set(self._older_title_phrases(cursor, request.query, cutoff))
            older &= scored.keys()
            ranked = [k for k in newest if k >= cutoff or k in older]
            rest = [k for k in newest if k < cutoff and k not in older]
        ranked = sorted(ranked, key=lambda k: (k not in exact, scored[k]))  # bm25: lower first
        page = (ranked + rest)[request.offset : request.offset + request.limit]
        return [(k, round(-scored[k], 4)) for k in page]

    def _newest(self, cursor, request, where, params, newest) -> list[tuple[int, float]]:
        end = request.offset + request.limit
        if end <= len(newest):
            return [(k, 0.0) for k in newest[request.offset : end]]
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {where} ORDER BY rowid DESC LIMIT %s OFFSET %s",
            [*params, request.limit, request.offset],
        )
        return [(int(row[0]), 0.0) for row in cursor.fetchall()]

    def _ranked(self, cursor, request, where, params, newest) -> list[tuple[int, float]]:
        parsed: ParsedQuery = request.query
        score = self._score(request)
        exact = self._exact_titles(cursor, parsed)
        first = f"rowid IN ({', '.join(map(str, exact))}) DESC, " if exact else ""
        end = request.offset + request.limit
        ranked_count, rest, window = len(newest), "", ""
        if len(newest) > self.rank_window:
            cutoff = newest[self.rank_window - 1]
            older = sorted(
                {k for k in exact if k < cutoff}
                | set(self._older_title_phrases(cursor, parsed, cutoff))
            )
            kept: list[int] = []
            if older:  # which of them match the whole query (lookups, no scoring)
                cursor.execute(
                    f"SELECT rowid FROM {TABLE} WHERE {where} "
                    f"AND rowid IN ({', '.join(map(str, older))})",
                    params,
                )
                kept = sorted(int(row[0]) for row in cursor.fetchall())
            # FTS5 walks only the key range it is given. Not "rowid IN (...)" alone: a scored
            # statement restarts the query for each listed rowid, bm25's walk of every match
            # included; nor an OR with the range, which hides the range from FTS5.
            window = f" AND rowid >= {kept[0] if kept else cutoff}"
            if kept:
                window += f" AND (rowid >= {cutoff} OR rowid IN ({', '.join(map(str, kept))}))"
            ranked_count = self.rank_window + len(kept)
            rest = f" AND rowid < {cutoff}" + (
                f" AND rowid NOT IN ({', '.join(map(str, kept))})" if kept else ""
            )
        cursor.execute(
            f"SELECT rowid, {score} AS score FROM {TABLE} WHERE {where}{window} "
            f"ORDER BY {first}score LIMIT %s",
            [*params, end],
        )
        rows = [(int(k), float(sc)) for k, sc in cursor.fetchall()]
        first_keys = set(exact)
        rows.sort(key=lambda row: (row[0] not in first_keys, row[1]))  # bm25: lower is better
        found = [(k, round(-s, 4)) for k, s in rows[request.offset : end]]
        wanted = request.limit - len(found)
        if rest and wanted > 0:  # past the ranked matches: the others, newest first
            cursor.execute(
                f"SELECT rowid, {score} AS score FROM {TABLE} WHERE {where}{rest} "
                "ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [*params, wanted, max(0, request.offset - ranked_count)],
            )
            found += [(int(k), round(-float(s), 4)) for k, s in cursor.fetchall()]
        return found

    def _older_title_phrases(self, cursor, parsed: ParsedQuery, cutoff: int) -> list[int]:
        """Keys older than the rank window whose title holds the query's words as a phrase,
        newest first: found in the titles' short doclists (the candidates still have to match
        the whole query, which the statement scoring them checks)."""
        phrase = title_phrase(parsed)
        if len(phrase) < 2:
            return []
        words = " ".join(w.replace('"', "") for w in phrase)
        cursor.execute(
            f"SELECT rowid FROM {TITLE_TERMS} WHERE {TITLE_TERMS} MATCH %s AND rowid < %s "
            "ORDER BY rowid DESC LIMIT %s",
            [f'"{words}"', cutoff, TITLE_WINDOW],
        )
        return [int(row[0]) for row in cursor.fetchall()]

    def _hits(self, cursor, request, where, params, ranked) -> list[Hit]:
        if not ranked:
            return []
        keys = ", ".join(str(k) for k, _ in ranked)
        cursor.execute(
            f"""
            SELECT {TABLE}.rowid, d.doc_id,
                   highlight({TABLE}, 0, '{OPEN}', '{CLOSE}'),
                   snippet({TABLE}, 1, '{OPEN}', '{CLOSE}', '…', 32),
                   snippet({TABLE}, 2, '{OPEN}', '{CLOSE}', '…', 32),
                   snippet({TABLE}, 3, '{OPEN}', '{CLOSE}', '…', 32),
                   snippet({TABLE}, 4, '{OPEN}', '{CLOSE}', '…', 32)
            FROM {TABLE} JOIN {DOCS} d ON d.key = {TABLE}.rowid
            WHERE {where} AND {TABLE}.rowid IN ({keys})
            """,
            params,
        )
        rows = {int(row[0]): row for row in cursor.fetchall()}
        hits = []
        for key, score in ranked:
            row = rows.get(key)
            if row is None:
                continue
            # the body sits in one tier's column; a snippet comes only from a readable one
            readable = [row[4 + i] for i, t in enumerate(BODY_COLUMNS) if t in request.tiers]
            body = next((b for b in readable if b), "")
            hits.append(
                Hit(
                    id=int(row[1]),
                    score=score,
                    title_html=marked_html(row[2]),
                    teaser_snippet=marked_html(row[3]),
                    body_snippet=marked_html(body),
                )
            )
        return hits

    def _facet_counts(
        self, cursor, request, matches: _Matches, every_key: list[int] | None, total: int
    ):
        """Exact counts from the keys already fetched when there are few matches; above
        EXACT_FACETS, counts over an even sample (the hashed low key bits) scaled up: a share
        of the fetched keys when they are all the matches, else of the sample table."""
        if not request.facets:
            return {}, False
        tiers = sorted({""} | {t for t in request.tiers if t != "public"})
        tier_marks = ", ".join(["%s"] * len(tiers))
        share = KEY_SHIFT  # of KEY_SHIFT: sample the keys whose hashed low bits fall below it
        if total > self.exact_facets:
            share = max(1, KEY_SHIFT * self.exact_facets // total)
        rows: list[tuple[int, int]] = []
        if every_key is not None:  # every match is in hand
            keys = [k for k in every_key if (k & (KEY_SHIFT - 1)) < share]
            if keys:
                cursor.execute(
                    f"SELECT code, count(*) FROM {DOC_FACETS} WHERE key IN "
                    f"({', '.join(map(str, keys))}) AND tier IN ({tier_marks}) GROUP BY code",
                    tiers,
                )
                rows = cursor.fetchall()
        else:
            share = min(share, SAMPLE_SHARE)
            where, params = matches.on(SAMPLE)
            sample = f" AND ({SAMPLE}.rowid & {KEY_SHIFT - 1}) < {share}"
            cursor.execute(
                f"SELECT f.code, count(*) FROM {SAMPLE} "
                f"JOIN {DOC_FACETS} f ON f.key = {SAMPLE}.rowid WHERE {where}"
                f"{sample if share < SAMPLE_SHARE else ''} "
                f"AND f.tier IN ({tier_marks}) GROUP BY f.code",
                [*params, *tiers],
            )
            rows = cursor.fetchall()
        names = self._facet_values(cursor, (int(code) for code, _ in rows))
        facets: dict[str, list[FacetCount]] = {name: [] for name in request.facets}
        for code, count in rows:
            facet, value = names.get(int(code), ("", ""))
            if facet in facets:
                estimate = round(int(count) * KEY_SHIFT / share)
                facets[facet].append(FacetCount(value, min(total, estimate)))
        for counts in facets.values():
            counts.sort(key=lambda c: (-c.count, c.value))
        return facets, share < KEY_SHIFT

    def statistics(self) -> dict[str, object]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
            size = int(cursor.fetchone()[0])
        return {"documents": self.count(), "database_bytes": size}


def _index_rows(
    docs: list[Document], keys: dict[int, int], codes: dict[tuple[str, str], int]
) -> tuple[
    list[tuple[object, ...]],
    list[tuple[object, ...]],
    list[tuple[int, int, str]],
    list[tuple[object, ...]],
]:
    """The rows the documents add to the index, the documents table, the facet table and the
    titles, in key order."""
    fts_rows: list[tuple[object, ...]] = []
    doc_rows: list[tuple[object, ...]] = []
    facet_rows: list[tuple[int, int, str]] = []
    suggest_rows: list[tuple[object, ...]] = []
    # FTS5 flushes its pending terms to a new segment whenever a rowid is lower than
    # the one before it; date-ordered keys arrive in any order, so write them sorted
    # (measured on bench/corpus.py documents: unsorted, FTS5 inserts took 1.7x the CPU).
    for d in sorted(docs, key=lambda d: keys[d.id]):
        key = keys[d.id]
        doc_codes = _doc_codes(d, codes)
        bodies = dict.fromkeys(BODY_COLUMNS.values(), "")
        bodies[BODY_COLUMNS.get(d.tier, "body_members")] = d.body  # unknown: strictest
        tags = " ".join(
            [EVERY_DOCUMENT]
            + [_tag_token(c, tier or "public") for c, tier in sorted(doc_codes.items())]
        )
        fts_rows.append((key, d.title, d.teaser, *bodies.values(), tags))
        doc_rows.append((d.id, key, d.findable_from.timestamp(), title_key(d.title)))
        facet_rows.extend((key, c, tier) for c, tier in sorted(doc_codes.items()))
        suggest_rows.append((key, d.title, d.url))
    return fts_rows, doc_rows, facet_rows, suggest_rows
