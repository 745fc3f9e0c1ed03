"""Database helpers every app may use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model


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
