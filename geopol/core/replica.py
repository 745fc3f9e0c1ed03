"""Reads from a PostgreSQL streaming replica, writes and read-your-own-writes on the primary.

With `DATABASE_REPLICA_URL` set, settings add a "replica" database and this router. What reads
where:

- a web request with a safe method (GET, HEAD, OPTIONS) reads from the replica, unless its
  client wrote something in the last `GEOPOL_REPLICA_PIN_SECONDS` (a cookie says so: a reader
  who just bookmarked, signed in or paid sees the result, not the replica's lag);
- everything else reads from the primary: unsafe requests, a request once it has written,
  reads inside a transaction (select_for_update, the metering lock), management commands,
  the task worker and the timer; and, inside `primary_reads()`, what is kept for other
  readers or decides access: a page rendered into the page cache, an API key's lookup;
- a row's deferred fields and relations are read where the row was.

The choice lives in a context variable set by `ReplicaMiddleware` for the request's duration,
so threads and async tasks each keep their own.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "geopol_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _Reading:
    """Where this request may read, and whether it has written."""

    __slots__ = ("replica", "wrote")

    def __init__(self, replica: bool) -> None:
        self.replica = replica
        self.wrote = False


_reading: contextvars.ContextVar[_Reading | None] = contextvars.ContextVar(
    "geopol_reading", default=None
)


def read_alias() -> str:
    """The database alias reads go to now: the replica only inside a web request that may
    use it, has not written, and is not inside a transaction on the primary."""
    state = _reading.get()
    if state is None or not state.replica or state.wrote:
        return PRIMARY
    if REPLICA not in connections.settings or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


@contextlib.contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside the block go to the primary: what is kept for other readers (a cached
    page) or decides access (an API key) must not be a replica's older copy."""
    state = _reading.get()
    if state is None or not state.replica:
        yield
        return
    state.replica = False
    try:
        yield
    finally:
        state.replica = True


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry used when a replica is configured (see the module docstring)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        instance = hints.get("instance")
        if instance is not None and getattr(instance, "_state", None) and instance._state.db:
            # a deferred field or a relation of a row read from the primary comes from there
            # too: the replica may not hold that row yet
            return str(instance._state.db)
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        state = _reading.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # the replica follows the primary's WAL, migrations included


class ReplicaMiddleware:
    """Decides per request whether its reads may go to the replica, and pins a client that
    wrote to the primary for a few seconds (longer than the replica's lag)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pinned = request.COOKIES.get(PIN_COOKIE) == "1"
        state = _Reading(replica=request.method in SAFE_METHODS and not pinned)
        token = _reading.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        if state.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.GEOPOL_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
