"""The PostgreSQL side of bench_search.py: a throw-away database on the real server, geopol's
`PostgresSearchBackend` on it, and the CPU time of the server process that answers.

The database (geopol_bench_<pid>) is created on the server at GEOPOL_BENCH_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/postgres) and dropped afterwards unless kept.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ALIAS = "bench_postgres"


def server_url() -> str:
    return os.environ.get("GEOPOL_BENCH_POSTGRES_URL", DEFAULT_URL)


def _connect(config: dict, dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=3,
        autocommit=True,
    )


class PostgresDatabase:
    """A database of its own on the server, registered with Django as ALIAS."""

    @property
    def config(self) -> dict:
        from geopol.settings import database_from_url  # once GEOPOL_DATA_DIR is set

        return database_from_url(server_url())

    def __init__(self, name: str | None = None) -> None:
        self.name = name or f"geopol_bench_{os.getpid()}"
        self.created = False

    def unavailable(self) -> str:
        """Why the server cannot be used ("" when it can)."""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "psycopg is not installed (pip install 'psycopg[binary]')"
        try:
            _connect(self.config).close()
        except Exception as error:  # any failure means: skip, saying why
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            return f"PostgreSQL at {server_url()} is not reachable ({first})"
        return ""

    def create(self, reuse: bool = False) -> None:
        """Create the database (or, with `reuse`, use it as it is) and register it with
        Django; call before django.setup()."""
        with _connect(self.config) as db:
            exists = db.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
            if not (reuse and exists):
                if exists:
                    db.execute(f'DROP DATABASE "{self.name}"')
                db.execute(f'CREATE DATABASE "{self.name}"')
                self.created = True
        from django.conf import settings

        settings.DATABASES[ALIAS] = {**self.config, "NAME": self.name, "CONN_MAX_AGE": None}

    def drop(self) -> None:
        from django.db import connections

        connections[ALIAS].close()
        with _connect(self.config) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def facts(self) -> dict[str, object]:
        from django.db import connections

        with connections[ALIAS].cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
                "current_setting('work_mem'), current_setting('effective_cache_size'), "
                "current_setting('jit')"
            )
            version, buffers, work_mem, cache, jit = cursor.fetchone()
        return {
            "server_version": version,
            "database": self.name,
            "shared_buffers": buffers,
            "work_mem": work_mem,
            "effective_cache_size": cache,
            "jit": jit,
        }


class ServerClock:
    """CPU time of the server process behind Django's connection ALIAS, from
    /proc/<pid>/schedstat (nanoseconds on a CPU; the server is on this machine)."""

    def __init__(self) -> None:
        from django.db import connections

        with connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = int(cursor.fetchone()[0])
        self.path = Path(f"/proc/{self.pid}/schedstat")
        self.available = self.path.exists()

    def seconds(self) -> float:
        if not self.available:
            return 0.0
        try:
            return int(self.path.read_text().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return 0.0


def build(backend, generator, n: int, batch: int, log) -> dict:
    """Index `n` documents through the backend, `batch` per transaction (as `geopol reindex`
    does); wall time, this process's CPU time and the server process's CPU time."""
    from corpus import batches
    from django.db import transaction

    with transaction.atomic(using=ALIAS):
        backend.setup()
    clock = ServerClock()
    wall = cpu = server = 0.0
    for i, docs in enumerate(batches(generator.documents(n), batch)):
        t0, c0, s0 = time.perf_counter(), time.thread_time(), clock.seconds()
        with transaction.atomic(using=ALIAS):
            backend.index(docs, new=True)
        wall += time.perf_counter() - t0
        cpu += time.thread_time() - c0
        server += clock.seconds() - s0
        if (i + 1) % max(1, 20_000 // batch) == 0:
            done = (i + 1) * batch
            log(f"postgres: {done:,} indexed, {done / wall:,.0f} docs/s in index()")
    return {
        "documents": n,
        "batch": batch,
        "index_seconds": round(wall, 1),
        "index_cpu_seconds": round(cpu, 1),
        "server_cpu_seconds": round(server, 1),
        "docs_per_second": round(n / wall),
        "docs_per_cpu_second": round(n / max(cpu + server, 1e-9)),
        "cpu_counts": "this process and the server process",
    }


def vacuum_analyze(backend) -> float:
    """VACUUM ANALYZE the backend's tables (what autovacuum would do soon after a bulk
    load); returns the seconds it took."""
    from django.db import connections

    from geopol.search.backends.postgres import TABLES

    t0 = time.perf_counter()
    with connections[ALIAS].cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return round(time.perf_counter() - t0, 1)
