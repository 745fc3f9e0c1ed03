"""SQLite FTS5 search, in the same database file and transaction as the content it indexes."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from geopol.search.backends.base import Document, Hit, SearchBackend, SearchResults
from geopol.search.query import parse_query, to_fts5

TABLE = "search_fts"
# Documents not yet visible (scheduled articles): a small side table, so that the common case,
# nothing scheduled, needs no per-row filter (an UNINDEXED column filter costs ~8x).
SCHEDULE = "search_schedule"
# Private-use characters mark matches, so escaping the text never touches our markers.
OPEN, CLOSE = "\ue000", "\ue001"
# bm25 column weights: title, teaser, then the body in the column of its access tier.
WEIGHTS = (10.0, 4.0, 1.0, 1.0, 1.0)
BODY_COLUMNS = {"public": "body", "registered": "body_registered", "members": "body_members"}

CREATE_SQL = [
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        title, teaser, body, body_registered, body_members,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TABLE IF NOT EXISTS {SCHEDULE} (
        doc_id INTEGER PRIMARY KEY, visible_from REAL NOT NULL
    )
    """,
    f"CREATE INDEX IF NOT EXISTS {SCHEDULE}_visible_from ON {SCHEDULE} (visible_from)",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {TABLE}", f"DROP TABLE IF EXISTS {SCHEDULE}"]


def marked_html(text: str) -> str:
    return html.escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


def _row(doc: Document) -> tuple[object, ...]:
    bodies = {column: "" for column in BODY_COLUMNS.values()}
    bodies[BODY_COLUMNS.get(doc.tier, "body_members")] = doc.body  # unknown tiers: strictest
    return (
        doc.id,
        doc.title,
        doc.teaser,
        bodies["body"],
        bodies["body_registered"],
        bodies["body_members"],
    )


def _timestamp(moment: dt.datetime) -> float:
    return moment.timestamp()


class SQLiteFTS5Backend(SearchBackend):
    def __init__(self, alias: str = "default", *, DATABASE: str = "default", **options: object):
        super().__init__(alias, **options)
        self.database = DATABASE

    @property
    def connection(self):
        connection = connections[self.database]
        if connection.vendor != "sqlite":
            raise ImproperlyConfigured(
                "SQLiteFTS5Backend needs a SQLite database; with DATABASE_URL set to PostgreSQL "
                "configure a PostgreSQL search backend in SEARCH_BACKENDS"
            )
        return connection

    def index(self, documents: Iterable[Document], new: bool = False) -> int:
        docs = list(documents)
        ids = [(d.id,) for d in docs]
        now = _timestamp(dt.datetime.now(dt.UTC))
        with self.connection.cursor() as cursor:
            if not new:
                cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", ids)
                cursor.executemany(f"DELETE FROM {SCHEDULE} WHERE doc_id = %s", ids)
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, teaser, body, body_registered, "
                "body_members) VALUES (%s, %s, %s, %s, %s, %s)",
                [_row(d) for d in docs],
            )
            scheduled = [
                (d.id, _timestamp(d.visible_from)) for d in docs if _timestamp(d.visible_from) > now
            ]
            if scheduled:
                cursor.executemany(
                    f"INSERT INTO {SCHEDULE} (doc_id, visible_from) VALUES (%s, %s)", scheduled
                )
        return len(docs)

    def remove(self, ids: Iterable[int]) -> None:
        rows = [(i,) for i in ids]
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", rows)
            cursor.executemany(f"DELETE FROM {SCHEDULE} WHERE doc_id = %s", rows)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"DELETE FROM {SCHEDULE}")

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        offset: int = 0,
        now: dt.datetime | None = None,
        tiers: frozenset[str] = frozenset({"public"}),
    ) -> SearchResults:
        parsed = parse_query(query)
        if parsed.is_empty:
            return SearchResults(hits=[], total=0, note=parsed.note)
        # a column filter: bodies of tiers this search may not read are never matched
        columns = ["title", "teaser"] + [c for t, c in BODY_COLUMNS.items() if t in tiers]
        match = "{" + " ".join(columns) + "} : (" + to_fts5(parsed) + ")"
        moment = _timestamp(now or dt.datetime.now(dt.UTC))
        weights = ", ".join(str(w) for w in WEIGHTS)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT doc_id FROM {SCHEDULE} WHERE visible_from > %s", [moment])
            hidden = [int(row[0]) for row in cursor.fetchall()]
            where = f"{TABLE} MATCH %s"
            if hidden:  # ids are ints from our own table, safe to inline
                where += f" AND rowid NOT IN ({', '.join(str(i) for i in hidden)})"
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", [match])
            total = int(cursor.fetchone()[0])
            cursor.execute(
                f"""
                SELECT rowid, bm25({TABLE}, {weights}) AS rank,
                       highlight({TABLE}, 0, '{OPEN}', '{CLOSE}'),
                       snippet({TABLE}, 1, '{OPEN}', '{CLOSE}', '…', 32),
                       snippet({TABLE}, 2, '{OPEN}', '{CLOSE}', '…', 32),
                       snippet({TABLE}, 3, '{OPEN}', '{CLOSE}', '…', 32),
                       snippet({TABLE}, 4, '{OPEN}', '{CLOSE}', '…', 32)
                FROM {TABLE} WHERE {where}
                ORDER BY rank LIMIT %s OFFSET %s
                """,
                [match, limit, offset],
            )
            hits = []
            for row in cursor.fetchall():
                # the body sits in one tier's column; show a snippet only from a readable one
                readable = [row[4 + i] for i, t in enumerate(BODY_COLUMNS) if t in tiers]
                body = next((b for b in readable if b), "")
                hits.append(
                    Hit(
                        id=int(row[0]),
                        score=round(-float(row[1]), 4),  # bm25() is lower-is-better
                        title_html=marked_html(row[2]),
                        teaser_snippet=marked_html(row[3]),
                        body_snippet=marked_html(body),
                    )
                )
        return SearchResults(
            hits=hits, total=total, note=parsed.note, terms=parsed.positive_words()
        )
