"""`geopol serve` as an operator runs it: a web worker killed with SIGKILL is replaced while the
others answer; on SQLite the task worker and the minute timer run inside serve and stop with it.
Real processes on a throw-away data dir."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60

SETUP = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from geopol.articles.importers.base import from_mapping
from geopol.articles.services import import_articles
from geopol.follows import services
from geopol.geo.models import Country
user = get_user_model().objects.create_user("reader", "reader@example.org", "x")
services.follow(user, Country.objects.get(code="ML"), "immediate")
now = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
import_articles([from_mapping(
    {"title": "Mali: fighting near Konna", "published": now, "countries": ["ML"]},
    "Fighting moved south of Konna overnight.", line=1)])
DBTaskResult.objects.all().delete()  # the queued match is lost: only send-due finds it again
"""


def _manage(data_dir: Path, *command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "geopol.cli", "manage", *command],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir migrated and with static files collected once; each test serves a copy."""
    data_dir = tmp_path_factory.mktemp("serve-template")
    _manage(data_dir, "migrate", "-v0")
    _manage(data_dir, "collectstatic", "--noinput", "-v0")
    return data_dir


@pytest.fixture
def data_dir(migrated: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(migrated, tmp_path / "data"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "GEOPOL_TESTING", "DATABASE_URL", "GEOPOL_DEBUG"):
        env.pop(name, None)
    env.update(GEOPOL_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", **extra)
    return env


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Served:
    def __init__(self, data_dir: Path, *args: str, **env: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "serve.log"
        cli = [sys.executable, "-m", "geopol.cli", "--data-dir", str(data_dir)]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [*cli, "serve", "--port", str(self.port), "--no-access-log", *args],
                cwd=ROOT,
                env=_env(data_dir, **env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the test's own group: a kill reaches nothing else
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if _get(self.base + "/") == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        pytest.fail(f"`geopol serve` did not answer in {STARTUP_SECONDS}s:\n{self.log.read_text()}")

    def descendants(self) -> list[int]:
        found, todo = [], [self.proc.pid]
        while todo:
            kids = _children(todo.pop())
            found += kids
            todo += kids
        return found

    def web_workers(self) -> list[int]:
        if "granian" in _cmdline(self.proc.pid):  # --no-worker: serve became granian
            return _children(self.proc.pid)
        [granian] = [p for p in _children(self.proc.pid) if "granian" in _cmdline(p)]
        return _children(granian)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"not within {seconds}s: {what}")


def test_a_killed_web_worker_is_replaced_while_the_others_answer(data_dir):
    served = Served(data_dir, "--workers", "2", "--no-worker")
    try:
        [victim, survivor] = served.web_workers()
        results: list[tuple[float, int | str]] = []
        stop = threading.Event()

        def client() -> None:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    outcome: int | str = _get(served.base + "/")
                except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                    outcome = repr(error)
                results.append((started, outcome))

        clients = [threading.Thread(target=client) for _ in range(3)]
        for thread in clients:
            thread.start()
        time.sleep(1)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        _wait_for(lambda: len(served.web_workers()) == 2, 15, "a second web worker again")
        time.sleep(1)
        stop.set()
        for thread in clients:
            thread.join()

        assert served.proc.poll() is None, served.log.read_text()[-2000:]
        assert survivor in served.web_workers() and victim not in served.web_workers()
        # What the dead worker was answering at that instant is lost (as under gunicorn);
        # every request begun after it died was answered.
        after = [outcome for started, outcome in results if started > killed_at + 0.05]
        assert after and all(outcome == 200 for outcome in after), after
        assert _get(served.base + "/") == 200
    finally:
        served.stop()


def test_serve_runs_the_worker_and_the_timer_and_stops_them(data_dir):
    _manage(data_dir, "shell", "-c", SETUP)
    # The article's queued match was lost: only the timer's send-due queues it again, and only
    # a worker matches it and sends the alert.
    served = Served(data_dir, "--workers", "1")
    try:
        family = served.descendants()
        assert any("geopol.cli worker" in _cmdline(p) for p in family)
        mail = data_dir / "mail"
        _wait_for(
            lambda: any("Konna" in p.read_text() for p in mail.glob("*")),
            60,
            "the alert written to DATA_DIR/mail by the worker serve runs",
        )
    finally:
        served.proc.send_signal(signal.SIGTERM)  # serve alone, not its group
        served.proc.wait(30)
    assert served.proc.returncode == 0
    _wait_for(lambda: not any(_alive(p) for p in family), 10, "serve's children stopped")


def test_serve_killed_outright_takes_its_worker_and_server_along(data_dir):
    served = Served(data_dir, "--workers", "1")
    family = served.descendants()
    assert any("geopol.cli worker" in _cmdline(p) for p in family)
    served.proc.kill()
    served.proc.wait()
    try:
        _wait_for(lambda: not any(_alive(p) for p in family), 15, "the orphans stopped")
    finally:
        for pid in family:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_no_worker_runs_the_web_server_alone(data_dir):
    served = Served(data_dir, "--workers", "1", "--no-worker")
    try:
        assert not any("geopol.cli worker" in _cmdline(p) for p in served.descendants())
        assert "granian" in _cmdline(served.proc.pid)  # serve became the server itself
    finally:
        served.stop()
