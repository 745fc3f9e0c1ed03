"""Database helpers every app may use."""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """INSERT many rows of `model` in one statement, without building a model instance for
    each: an import writes tens of thousands of small rows (tags, spans) per file, and the
    instances cost several times the insert itself.

    `fields` are attribute names ("article_id" for a foreign key); each row gives their values
    as the database stores them. No defaults, signals or validation: callers pass every
    column that needs a value. Works the same on SQLite and PostgreSQL.
    """
    rows = list(rows)
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(quote(by_attname[name]) for name in fields)
    values = ", ".join(["%s"] * len(fields))
    # only our models' quoted identifiers go into the statement; values are parameters
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@dataclass
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: list[Any]
    positions: list[int]  # where each argument goes in params
    converters: dict
    init_list: list[str] | None  # the model's attnames, when rows become instances
    model_slice: slice


_markers = itertools.count(1)
_markers_lock = threading.Lock()


def _marker(kind: type) -> int | str:
    with _markers_lock:
        n = next(_markers)
    # inside a 32-bit integer's range: Django turns a lookup on a value out of a field's range
    # into an empty result, without SQL
    return -2_000_000_000 + n if kind is int else f"\x00geopol-marker-{n}\x00"


class PreparedQuery:
    """A QuerySet compiled to SQL once per database connection, then run with other values.

    The ORM builds and compiles a QuerySet on every call: 0.2 to 0.35 ms of CPU for a one-row
    lookup by key, where SQLite runs the SQL in ~0.015 ms. The lookups every article page
    makes (the article by slug, the reader's membership and bookmark) were most of a cached
    page's time. `build(*markers)` returns the QuerySet with a marker in place of each value;
    `kinds` says whether each value is an int or a str (values whose database form is
    themselves: compare datetimes in Python). Calling the PreparedQuery runs the compiled SQL
    with the values given and returns model instances (made as the ORM makes them: the select's
    converters, then Model.from_db) or, for values_list(), tuples. No select_related or
    prefetches. Queries still go through Django's cursor (query counts, execute wrappers).
    """

    def __init__(self, build: Callable[..., QuerySet], *kinds: type, using: str = "default"):
        if any(kind not in (int, str) for kind in kinds):
            raise TypeError("PreparedQuery values must be int or str")
        self.build = build
        self.kinds = kinds
        self.using = using
        # per connection object: each thread has its own, and SQL differs between databases
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()

    def _compile(self, alias: str) -> _Compiled:
        markers = [_marker(kind) for kind in self.kinds]
        queryset = self.build(*markers)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        positions = []
        for marker in markers:
            found = [i for i, p in enumerate(params) if p == marker]
            if len(found) != 1:
                raise ValueError(f"PreparedQuery: a value was used {len(found)} times in {sql}")
            positions.append(found[0])
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        init_list, model_slice = None, slice(None)
        klass_info = compiler.klass_info
        if klass_info is not None and not queryset.query.values_select:
            select_fields = klass_info["select_fields"]
            model_slice = slice(select_fields[0], select_fields[-1] + 1)
            init_list = [f[0].target.attname for f in compiler.select[model_slice]]
        return _Compiled(
            compiler,
            sql,
            params,
            positions,
            compiler.get_converters(fields),
            init_list,
            model_slice,
        )

    def __call__(self, *values: int | str) -> list[Any]:
        alias = self.using
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(alias)
        params = list(compiled.params)
        for position, value in zip(compiled.positions, values, strict=True):
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Iterable[Any] = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        if compiled.init_list is None:
            return [tuple(row) for row in rows]
        model = compiled.compiler.query.model
        assert model is not None  # a QuerySet's query always has one
        return [model.from_db(alias, compiled.init_list, row[compiled.model_slice]) for row in rows]


def write_unless_busy(
    write: Callable[[], object],
    using: str = "default",
    still_true: Callable[[], bool] | None = None,
) -> bool:
    """Run `write` in a transaction that never waits for another writer: False (nothing
    written) when the database's write lock, or a row it needs, is held by someone else.

    For the writes a reader's request makes in passing, such as keeping a list it computed
    for the next reader: SQLite has one write lock, an import holds it for seconds, and a
    page that waited for it past the busy timeout answered 500 ("database is locked") while
    a reader's request needs no write at all. A concurrent writer that stored the same rows
    first (a unique constraint) is not an error either. Inside a transaction already (the
    change path, which holds the lock) it is a plain savepoint. With `still_true`, nothing is
    written either unless it answers True once the lock is held (what was computed from an
    older state would be kept as if it were of the new one).
    """
    connection = connections[using]
    if connection.in_atomic_block:
        with transaction.atomic(using=using):
            write()
        return True
    try:
        with _no_waiting(connection), transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '50ms'")
            if still_true is not None and not still_true():
                return False
            write()
    except IntegrityError:
        return False  # someone else stored it first
    except DatabaseError as error:
        if not _is_lock_wait(error):
            raise
        return False
    return True


@contextmanager
def _no_waiting(connection: Any) -> Iterator[None]:
    """SQLite: a busy timeout of 0 for the block (BEGIN IMMEDIATE fails at once when the
    write lock is taken), the configured one after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


def _is_lock_wait(error: DatabaseError) -> bool:
    text = str(error).lower()
    # SQLite: "database is locked" / "database table is locked"; PostgreSQL: lock_timeout
    return "locked" in text or "lock timeout" in text or "lock_timeout" in text


def call_after_commit(func: Callable[..., Any], *args: Any) -> None:
    """`func(*args)` once the current transaction commits, robustly: if it raises, the error
    is logged under the function's name and the commit's other callbacks still run (Django's
    robust callbacks log `__qualname__`, which a `functools.partial` lacks: its failure then
    escaped and the later callbacks were dropped)."""

    def call() -> None:
        func(*args)

    call.__name__ = getattr(func, "__name__", "callback")
    call.__qualname__ = getattr(func, "__qualname__", call.__name__)
    transaction.on_commit(call, robust=True)
