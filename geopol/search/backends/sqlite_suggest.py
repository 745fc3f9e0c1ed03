"""Completion and "did you mean" for the SQLite search backend: suggestions as one types
(named things and titles, FTS5 prefix indexes) and words spelt like a misspelt one (a trigram
table of the title and suggestion words)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import Any

from geopol.search.backends.base import Suggestion
from geopol.search.backends.plan import MIN_SPELL_WORD
from geopol.search.backends.sqlite_schema import DOCS, SUGGEST, TITLES, TRIGRAMS, WORDS
from geopol.search.query import WORD_RE

TITLE_SUGGESTIONS = 3


class SQLiteSuggestions:
    """The completion half of SQLiteFTS5Backend (which provides `connection`)."""

    connection: Any

    def replace_suggestions(self, suggestions: Iterable[Suggestion]) -> None:
        rows = [(s.label, s.kind, s.url, s.weight) for s in suggestions]
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SUGGEST}")
            cursor.executemany(
                f"INSERT INTO {SUGGEST} (label, kind, url, weight) VALUES (%s, %s, %s, %s)", rows
            )
            self._add_words(cursor, (w for r in rows for w in WORD_RE.findall(r[0])))

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Named things first (ranked by weight), then the newest matching titles; titles
        keep up to TITLE_SUGGESTIONS places when both match."""
        words = WORD_RE.findall(prefix)[:8]
        if not words:
            return []
        match = " AND ".join(f'"{w}"*' for w in words)
        now = dt.datetime.now(dt.UTC).timestamp()
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT label, url FROM {TITLES} WHERE {TITLES} MATCH %s AND rowid NOT IN "
                f"(SELECT key FROM {DOCS} WHERE visible_from > %s) "
                "ORDER BY rowid DESC LIMIT %s",
                [match, now, limit],
            )
            titles = [Suggestion("article", r[0], r[1]) for r in cursor.fetchall()]
            cursor.execute(
                f"SELECT label, kind, url, weight FROM {SUGGEST} WHERE {SUGGEST} MATCH %s "
                "ORDER BY weight DESC, length(label) LIMIT %s",
                [match, limit],
            )
            named = [Suggestion(r[1], r[0], r[2], float(r[3])) for r in cursor.fetchall()]
        named = named[: max(limit - min(len(titles), TITLE_SUGGESTIONS), 0)]
        return named + titles[: limit - len(named)]

    def similar_terms(self, word: str, limit: int = 3) -> list[str]:
        word = word.casefold()
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        grams = {g for g in grams if g.isalpha()}
        if not grams:
            return []
        match = " OR ".join(f'"{g}"' for g in sorted(grams))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {TRIGRAMS} WHERE {TRIGRAMS} MATCH %s "
                f"ORDER BY bm25({TRIGRAMS}) LIMIT 200",
                [match],
            )
            candidates = [row[0] for row in cursor.fetchall()]
        scored = [
            (difflib.SequenceMatcher(None, word, c).ratio(), c) for c in candidates if c != word
        ]
        scored = [(r, c) for r, c in scored if r >= 0.75]
        scored.sort(key=lambda rc: (-rc[0], rc[1]))
        return [c for _, c in scored[:limit]]

    def _add_words(self, cursor, words: Iterable[str]) -> None:
        """Remember title and suggestion words for "did you mean"."""
        fresh = {w.casefold() for w in words if len(w) >= MIN_SPELL_WORD and w.isalpha()}
        if not fresh:
            return
        listed = sorted(fresh)
        for start in range(0, len(listed), 500):
            chunk = listed[start : start + 500]
            cursor.execute(
                f"SELECT term FROM {WORDS} WHERE term IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            fresh.difference_update(row[0] for row in cursor.fetchall())
        rows = [(w,) for w in sorted(fresh)]
        if not rows:
            return
        cursor.executemany(f"INSERT INTO {WORDS} (term) VALUES (%s)", rows)
        cursor.executemany(f"INSERT INTO {TRIGRAMS} (term) VALUES (%s)", rows)
