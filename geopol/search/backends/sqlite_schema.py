"""The SQLite search index's tables: their names and the statements that make, fill and drop
them (the backend in sqlite_fts5.py writes and reads them; the search migrations run these)."""

from __future__ import annotations

from geopol.search.backends.plan import KEY_SHIFT

TABLE = "search_fts"
DOCS = "search_docs"
VALUES = "search_facet_values"
DOC_FACETS = "search_doc_facets"
SUGGEST = "search_suggest"  # named things: countries, regions, actors, topics, authors
TITLES = "search_titles"  # article titles, keyed like the documents
# Keys once used: FTS5 (3.40) was seen to corrupt its index when a rowid deleted earlier in a
# transaction is inserted again, so a key is never reused.
RETIRED = "search_retired_keys"
WORDS = "search_words"
TRIGRAMS = "search_words_trigram"
# Every SAMPLE_SHARE-th of KEY_SHIFT documents (chosen by the hashed low bits of the key) again,
# in a table whose doclists are 1/16 as long: totals and facet counts of very large match sets
# are estimated from it instead of walking every match.
SAMPLE = "search_sample"
SAMPLE_SHARE = 64
# Titles alone, stemmed like the index: the older documents whose title holds a query as a
# phrase are found in short doclists instead of by walking every match of the query.
TITLE_TERMS = "search_title_terms"
VOCABULARY = "search_vocabulary"  # fts5vocab over the index: its stemmed terms

# A rebuild (`geopol reindex`) writes a new index into these tables under the names below with
# REBUILT_SUFFIX, then renames them into place in one transaction; the other tables are shared.
REBUILT = [TABLE, DOCS, DOC_FACETS, TITLES, SAMPLE, TITLE_TERMS]
REBUILT_SUFFIX, RETIRING_SUFFIX = "_next", "_old"
# While a rebuild runs, REBUILD holds one row and every write to the index logs the ids it
# touched in REBUILD_LOG: they are indexed again into the new tables before the swap.
REBUILD = "search_rebuild"
REBUILD_LOG = "search_rebuild_log"


def index_tables_sql(suffix: str = "") -> list[str]:
    """The statements making the tables a rebuild replaces, their names ending in `suffix`.
    Their indexes are UNIQUE constraints, whose names SQLite renames with the table (a
    CREATE INDEX keeps its name and would clash with the next rebuild's)."""
    fts, docs, doc_facets, titles, sample, title_terms = (f"{t}{suffix}" for t in REBUILT)
    text = """
        title, teaser, body, body_registered, body_members, tags,
        tokenize = 'porter unicode61 remove_diacritics 2'
    """
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({text})",
        f"""
        CREATE TABLE IF NOT EXISTS {docs} (
            doc_id INTEGER PRIMARY KEY, key INTEGER NOT NULL UNIQUE,
            visible_from REAL NOT NULL, title_key TEXT NOT NULL,
            UNIQUE (visible_from, key), UNIQUE (title_key, key)
        )
        """,
        f"""
        CREATE TABLE IF NOT EXISTS {doc_facets} (
            key INTEGER NOT NULL, code INTEGER NOT NULL, tier TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (key, code)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE VIRTUAL TABLE IF NOT EXISTS {titles} USING fts5(
            label, url UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
        )
        """,
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {sample} USING fts5({text})",
        f"""
        CREATE VIRTUAL TABLE IF NOT EXISTS {title_terms} USING fts5(
            title, tokenize = 'porter unicode61 remove_diacritics 2'
        )
        """,
    ]


CREATE_SQL = [
    *index_tables_sql(),
    f"""
    CREATE TABLE IF NOT EXISTS {VALUES} (
        code INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL,
        UNIQUE (facet, value)
    )
    """,
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {SUGGEST} USING fts5(
        label, kind UNINDEXED, url UNINDEXED, weight UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    )
    """,
    f"CREATE TABLE IF NOT EXISTS {RETIRED} (key INTEGER PRIMARY KEY)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab({TABLE}, row)",
    f"CREATE TABLE IF NOT EXISTS {WORDS} (term TEXT PRIMARY KEY) WITHOUT ROWID",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAMS} USING fts5(term, tokenize = 'trigram')",
    f"CREATE TABLE IF NOT EXISTS {REBUILD} (started REAL NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {REBUILD_LOG} (doc_id INTEGER PRIMARY KEY)",
]
TABLES = [
    VOCABULARY,
    TABLE,
    SAMPLE,
    TITLE_TERMS,
    DOCS,
    VALUES,
    DOC_FACETS,
    SUGGEST,
    TITLES,
    RETIRED,
    WORDS,
    TRIGRAMS,
    REBUILD,
    REBUILD_LOG,
]
TEXT_COLUMNS = "title, teaser, body, body_registered, body_members, tags"
# Fill SAMPLE and TITLE_TERMS from an index made before they existed (migration 0003).
FILL_SQL = [
    f"INSERT INTO {SAMPLE} (rowid, {TEXT_COLUMNS}) SELECT rowid, {TEXT_COLUMNS} FROM {TABLE} "
    f"WHERE (rowid & {KEY_SHIFT - 1}) < {SAMPLE_SHARE} ORDER BY rowid",
    f"INSERT INTO {TITLE_TERMS} (rowid, title) SELECT rowid, title FROM {TABLE} ORDER BY rowid",
]
DROP_SQL = [
    f"DROP TABLE IF EXISTS {t}"
    for t in [
        *TABLES,
        *(f"{t}{s}" for s in (REBUILT_SUFFIX, RETIRING_SUFFIX) for t in REBUILT),
        "search_schedule",
    ]
]
