"""Reads from a real streaming replica (issue 15's scale-out): the test starts a PostgreSQL
primary and, with pg_basebackup, a hot standby of it on two free loopback ports in a temp
dir, runs the site against both in its own process (tests/replica_probe.py), and pauses the
replica's replay so that where each read went shows in what it returned."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _missing(reason: str) -> None:
    if os.environ.get("GEOPOL_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (GEOPOL_REQUIRE_POSTGRES=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_basebackup")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """PostgreSQL servers of our own in `base` (as user postgres when we are root: the server
    refuses to run as root)."""

    def __init__(self, base: Path, bindir: Path):
        self.base, self.bindir = base, bindir
        self.as_postgres = os.geteuid() == 0
        self.started: list[Path] = []

    def run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr or done.stdout}")

    def configure(self, data: Path, port: int) -> None:
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\nfsync = off\n"
                "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
            )

    def start(self, data: Path) -> None:
        self.run("pg_ctl", "-D", str(data), "-l", str(data / "server.log"), "-w", "start")
        self.started.append(data)

    def stop(self) -> None:
        for data in reversed(self.started):
            with contextlib.suppress(RuntimeError):
                self.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")


@pytest.fixture(scope="module")
def primary_and_replica() -> Iterator[tuple[str, str]]:
    bindir = _bindir()
    if bindir is None or not (bindir / "initdb").exists():
        _missing("PostgreSQL's server programs (initdb, pg_basebackup) are not installed")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        _missing("running as root without runuser: PostgreSQL will not start as root")
    base = Path(tempfile.mkdtemp(prefix="geopol-replica-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    cluster = Cluster(base, bindir)
    ports = _free_port(), _free_port()
    primary, replica = base / "primary", base / "replica"
    try:
        cluster.run("initdb", "-D", str(primary), "-U", "postgres", "-A", "trust", "--no-sync")
        cluster.configure(primary, ports[0])
        cluster.start(primary)
        cluster.run(
            *("pg_basebackup", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres"),
            *("-D", str(replica), "-R", "-X", "stream", "--no-sync"),
        )
        cluster.configure(replica, ports[1])
        cluster.start(replica)
        yield tuple(f"postgres://postgres@127.0.0.1:{p}/postgres" for p in ports)  # type: ignore[misc]
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_reads_go_to_the_replica_and_a_client_that_wrote_reads_its_own_writes(
    primary_and_replica, tmp_path
):
    primary, replica = primary_and_replica
    env = {
        **os.environ,
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URL": replica,
        "GEOPOL_DATA_DIR": str(tmp_path),
        "GEOPOL_CACHE_URL": "locmem://",
        "GEOPOL_METERED_ARTICLES": "2",
        "DJANGO_SETTINGS_MODULE": "geopol.settings",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "replica_probe.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["migrated_replica"], "the replica did not follow the primary's migrations"
    # replay paused: an anonymous reader's answer is kept for anyone (articles.anoncache),
    # so it is made from the primary, never from the replica's older copy
    assert seen["anonymous_get"] == "After the pause"
    # the member who just saved a bookmark is pinned to the primary and sees it
    assert seen["bookmark_status"] == 302 and seen["pin_cookie"]
    assert seen["bookmarked_on_primary"] and seen["own_write_seen"]
    assert seen["pinned_get"] == "After the pause"
    # the same session without the pin cookie reads the replica again
    assert seen["unpinned_get"] == "Before the pause"
    # a page that writes (a metered read, in a transaction) works: its writes and the reads
    # of its transaction go to the primary, never to the read-only replica
    assert seen["metered_status"] == 200 and seen["metered_on_primary"] == 1
    # a piece published during the lag: its page from the primary, whole; searches from
    # the replica, which has not indexed it yet, unless the reader is pinned
    assert seen["fresh_page_status"] == 200 and seen["fresh_page_title"]
    assert seen["anonymous_search_hits"] == 0 and seen["pinned_search_hits"] == 1
    # API keys are looked up on the primary: a new key works, a revoked one does not
    assert seen["new_key_status"] == 200 and seen["revoked_key_status"] == 401
    assert seen["anonymous_get_after_resume"] == "After the pause"
