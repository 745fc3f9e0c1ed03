"""A real `geopol worker` killed with SIGKILL while it sends the daily digests, then started
again: every member gets exactly one digest. Driven as an operator would, through `geopol`."""

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is a dev dependency")

GEOPOL = str(Path(sys.executable).parent / "geopol")
MEMBERS = 8
KILL_AT = 3

SETUP = f"""
from django.contrib.auth import get_user_model
from django.db import transaction
from geopol.articles.importers.base import from_mapping
from geopol.articles.services import import_articles
from geopol.follows import services
from geopol.geo.models import Country
from django.utils import timezone
mali = Country.objects.get(code="ML")
for n in range({MEMBERS}):
    user = get_user_model().objects.create_user(f"m{{n}}", f"m{{n}}@example.org", "x")
    services.follow(user, mali, "daily")
now = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
import_articles([from_mapping(
    {{"title": "Mali: a digest item", "published": now, "countries": ["ML"]}},
    "Fighting moved south of Konna overnight.", line=1)])
"""


class KillingInbox:
    """Accepts messages; after the KILL_AT-th is received, and before answering 250, kills the
    worker: the message arrived, the worker never learns it did."""

    def __init__(self) -> None:
        self.recipients: list[str] = []
        self.worker_pid = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
            if len(self.recipients) == KILL_AT and self.worker_pid:
                os.kill(self.worker_pid, signal.SIGKILL)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_killed_worker_sends_nothing_twice_after_a_restart(tmp_path):
    inbox = KillingInbox()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    env = {
        **os.environ,
        "GEOPOL_DATA_DIR": str(tmp_path),
        "GEOPOL_SMTP_HOST": "127.0.0.1",
        "GEOPOL_SMTP_PORT": str(controller.port),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("GEOPOL_TASKS_REDIS_URL", None)

    def geopol(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [GEOPOL, *args], env=env, capture_output=True, text=True, timeout=180, check=False
        )

    worker_args = ["worker", "--batch", "--no-startup-delay", "--interval", "0", "-v", "0"]
    try:
        assert geopol("alerts", "status").returncode == 0  # migrates the empty data dir
        setup = geopol("manage", "shell", "-c", SETUP)
        assert setup.returncode == 0, setup.stderr[-2000:]
        assert geopol(*worker_args).returncode == 0  # matches the article
        assert geopol("alerts", "digest-now").returncode == 0
        worker = subprocess.Popen([GEOPOL, *worker_args], env=env)
        inbox.worker_pid = worker.pid
        assert worker.wait(timeout=180) == -signal.SIGKILL
        assert len(inbox.recipients) == KILL_AT
        # the restart: the operator's timer (or the operator) queues what is still waiting
        assert geopol("alerts", "digest-now").returncode == 0
        restarted = geopol(*worker_args)
        assert restarted.returncode == 0, restarted.stderr[-2000:]
        status = geopol("alerts", "status")
        assert status.returncode == 0
    finally:
        controller.stop()
    assert sorted(inbox.recipients) == sorted(f"m{n}@example.org" for n in range(MEMBERS))
    # the message the worker died on is recorded as in doubt, never as sent twice
    assert '"sending": 1' in status.stdout, status.stdout
