"""With GEOPOL_TASKS_REDIS_URL set, tasks go through Redis (django-tasks-rq) and `geopol worker`
runs RQ's worker. Driven as an operator would, through the `geopol` command."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

GEOPOL = str(Path(sys.executable).parent / "geopol")


def redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_running(), reason="no Redis on 127.0.0.1:6379 (.ci/run expects one)"
)


def geopol(env: dict, *args: str) -> str:
    done = subprocess.run(
        [GEOPOL, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_task_queued_in_redis_is_run_by_geopol_worker(tmp_path):
    pytest.importorskip("django_tasks_rq", reason="pip install 'geopol[redis]'")
    env = {
        **os.environ,
        "GEOPOL_DATA_DIR": str(tmp_path),
        "GEOPOL_TASKS_REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    geopol(env, "alerts", "status")  # migrates the empty data dir
    code = "from geopol.follows.tasks import match_article as t; print(t.enqueue(424242).id)"
    task_id = geopol(env, "manage", "shell", "-c", code).splitlines()[-1]
    geopol(env, "worker", "--burst")
    code = (
        "from geopol.follows.tasks import match_article as t; "
        f"r = t.get_result({task_id!r}); print(r.status, r.return_value)"
    )
    # an article that does not exist matches nobody: the task ran and returned 0
    assert geopol(env, "manage", "shell", "-c", code).splitlines()[-1] == "SUCCESSFUL 0"
