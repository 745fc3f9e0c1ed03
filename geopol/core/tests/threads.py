"""Tests whose writers must really commit: code run on a thread with connections of its own,
and a router sending every query to one database alias."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


class OneDatabase:
    """Routes every query of the code under test to one database alias."""

    def __init__(self, alias: str):
        self.alias = alias

    def db_for_read(self, model, **hints):
        return self.alias

    def db_for_write(self, model, **hints):
        return self.alias

    def allow_relation(self, *args, **hints):
        return True


def in_thread(fn: Callable[[], Any]) -> Any:
    """Run `fn` on connections of its own, which commit as a web request's would; its error
    is raised here."""
    out: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as error:  # re-raised below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if errors:
        raise errors[0]
    return out[0]
