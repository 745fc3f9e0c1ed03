"""Article pages for a logged-in member under load; prints JSON.

A 10,000-article database (the synthetic corpus of bench_import, a third each public,
registered and members-only, imported with geoparsing as `geopol import` does), served by
`geopol serve` (granian by default, production settings) and loaded by wrk from a second process: 32
connections over loopback, each request a random article page, with the session cookie of a
member whose membership is a `Membership` row. Target: p99 under 50 ms, zero errors.

Article pages are cached per article and kind of reader (geopol/articles/pagecache.py), so
the member's pages are loaded twice: first with an empty cache ("cold", each page's first
visit renders it), then after every page was visited once by a member and by an anonymous
reader ("warm", the steady state of a site whose pages have been read). Server CPU time per
request (the server processes' user + system time over the run / requests) is reported
with each run: on a shared machine it varies less than latency.

Reference measured in the same run: the same pages for an anonymous reader (no session, no
membership lookup), warm.

    .venv/bin/python bench/bench_members.py [--articles N] [--seconds S] [--workers W]
        [--threads T] [--server granian|gunicorn] [--data-dir DIR]

With --data-dir, the prepared database is kept in DIR and reused by the next run given the
same DIR (the import of 10,000 articles takes minutes); without it, a temporary one is
made and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_import import synthetic

REPO = Path(__file__).resolve().parents[1]
CONNECTIONS = 32
LUA = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local cookie = "%(cookie)s"
math.randomseed(7)
request = function()
  local headers = {}
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
"""


def prepare(data_dir: Path, n: int) -> tuple[list[str], str, str]:
    """Import the corpus; return the article paths, a member's session cookie and a members
    article's path."""
    os.environ["GEOPOL_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "geopol.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from geopol.articles.importers import read_file
    from geopol.articles.models import Article
    from geopol.articles.services import import_articles
    from geopol.members.models import Membership

    corpus = synthetic(n)
    levels = ["public", "registered", "members"]
    for i, article in enumerate(corpus):
        article["access"] = levels[i % 3]
    path = data_dir / "bench.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in corpus))
    started = time.perf_counter()
    import_articles(read_file(path, max_bytes=1 << 31))
    import_seconds = time.perf_counter() - started
    assert Article.objects.count() == n, "the corpus did not import"

    member = get_user_model().objects.create_user("member", "member@example.org", "x" * 20)
    Membership.objects.create(user=member, plan="Annual")
    client = Client()
    client.force_login(member)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    slugs = list(Article.objects.values_list("slug", flat=True))
    members_slug = Article.objects.filter(access="members").values_list("slug", flat=True)[0]
    print(f"imported {n} articles in {import_seconds:.0f} s", file=sys.stderr)
    return [f"/articles/{s}/" for s in slugs], cookie, f"/articles/{members_slug}/"


def prepared(data_dir: Path, n: int) -> tuple[list[str], str, str]:
    """`prepare`, or what an earlier run prepared in `data_dir` for the same `n`."""
    record = data_dir / "prepared.json"
    if record.exists():
        saved = json.loads(record.read_text())
        if saved["articles"] == n:
            print(f"reusing the {n} articles prepared in {data_dir}", file=sys.stderr)
            return saved["paths"], saved["cookie"], saved["members_path"]
        sys.exit(f"{data_dir} holds {saved['articles']} articles, not {n}: give another --data-dir")
    data_dir.mkdir(parents=True, exist_ok=True)
    if any(data_dir.iterdir()):
        sys.exit(f"{data_dir} is not empty and holds no prepared.json: give an empty or new dir")
    paths, cookie, members_path = prepare(data_dir, n)
    record.write_text(
        json.dumps({"articles": n, "paths": paths, "cookie": cookie, "members_path": members_path})
    )
    return paths, cookie, members_path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(
    data_dir: Path, workers: int, threads: int, server: str, port: int = 0
) -> tuple[subprocess.Popen, str]:
    """`geopol serve` on `port` (0: a free one); its output goes to data_dir/serve.log."""
    env = {k: v for k, v in os.environ.items() if k not in ("GEOPOL_TESTING", "GEOPOL_DEBUG")}
    env.update(GEOPOL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="geopol.settings")
    port = port or free_port()
    log = (data_dir / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geopol.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--server",
            server,
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/robots.txt", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.2)  # poll interval while the server starts
    stop(proc)
    sys.exit(f"geopol serve did not start:\n{(data_dir / 'serve.log').read_text()[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


CLEAR_CACHE = "from django.core.cache import cache; cache.clear()"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def server_cpu_seconds(proc: subprocess.Popen) -> float:
    """User + system CPU time of every process in the server's process group (the server's
    main process and workers), from /proc; 0 where /proc is missing."""
    total = 0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == proc.pid:  # process group id
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def visit_all(base: str, paths: list[str], cookie: str) -> dict:
    """Each page once, one after another (what fills the cache); latency of these visits."""
    times = []
    for path in paths:
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
        started = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "pages": len(times),
        "p50_ms": round(times[len(times) // 2], 2),
        "p99_ms": round(times[int(len(times) * 0.99)], 2),
    }


def wrk(
    base: str,
    paths_file: Path,
    cookie: str,
    seconds: int,
    script_dir: Path,
    server: subprocess.Popen | None = None,
    connections: int = CONNECTIONS,
) -> dict:
    script = script_dir / f"wrk-{'member' if cookie else 'anonymous'}.lua"
    script.write_text(LUA % {"paths": paths_file, "cookie": cookie})
    cpu_before = server_cpu_seconds(server) if server else 0.0
    load_before = os.getloadavg()[0]
    out = subprocess.run(
        [
            *("wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"),
            *("--timeout", "10s", "-s", str(script), base),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = server_cpu_seconds(server) - cpu_before if server else 0.0
    latency = {
        q: round(float(v) * UNITS[u], 2)
        for q, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": requests,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "server_cpu_ms_per_request": round(cpu / max(requests, 1) * 1000, 2),
        # other processes on the machine: the 1-minute load average before and after the run
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "latency_ms": {f"p{q}": v for q, v in latency.items()},
        "errors": {
            "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
            "socket": socket_errors.group(1).strip() if socket_errors else "none",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=20)
    # what `geopol serve` does by default
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="per worker")
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the prepared database here and reuse it on the next run with this DIR",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="geopol-bench-members-"))
    paths, cookie, members_path = prepared(data_dir, args.articles)
    rng = random.Random(3)
    paths_file = data_dir / "paths.txt"
    sample = rng.sample(paths, min(2000, len(paths)))
    paths_file.write_text("\n".join(sample) + "\n")

    proc, base = serve(data_dir, args.workers, args.threads, args.server)
    try:
        # the member really reads the members-only body, the anonymous reader does not
        request = urllib.request.Request(base + members_path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as response:
            assert 'class="article-body"' in response.read().decode(), "member sees no body"
        with urllib.request.urlopen(base + members_path) as response:
            assert "This analysis is for members" in response.read().decode()

        # cold: the cache emptied (the checks above filled two pages), the first visits of
        # each page render it under load
        subprocess.run(
            [sys.executable, "-m", "geopol.cli", "manage", "shell", "-c", CLEAR_CACHE],
            cwd=REPO,
            env={**os.environ, "GEOPOL_DATA_DIR": str(data_dir)},
            check=True,
        )
        member_cold = wrk(base, paths_file, cookie, args.seconds, data_dir, proc)
        first_visits = {
            "member": visit_all(base, sample, cookie),
            "anonymous": visit_all(base, sample, ""),
        }
        wrk(base, paths_file, cookie, 3, data_dir)  # warm-up: connections
        member = wrk(base, paths_file, cookie, args.seconds, data_dir, proc)
        anonymous = wrk(base, paths_file, "", args.seconds, data_dir, proc)
    finally:
        stop(proc)
    p99 = member["latency_ms"].get("p99", float("inf"))
    errors = member["errors"]["non_2xx_3xx"] + (member["errors"]["socket"] != "none")
    result = {
        "benchmark": "members_article_page_v1",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "articles": args.articles,
        "server": f"{args.server}, {args.workers} workers x {args.threads} threads, SQLite, "
        f"{os.environ.get('GEOPOL_CACHE_URL') or 'directory cache'}",
        "load": f"wrk, {CONNECTIONS} connections, {args.seconds} s, random article pages",
        "member": member,
        "member_cold_cache": member_cold,
        "first_visits_sequential": first_visits,
        "reference_anonymous": anonymous,
        "ratio_p99_to_reference": round(p99 / anonymous["latency_ms"]["p99"], 2),
        "target": {"p99_ms": 50, "met": p99 < 50 and errors == 0},
    }
    print(json.dumps(result, indent=2))
    if not args.data_dir:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
