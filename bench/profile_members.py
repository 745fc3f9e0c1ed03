"""Where a member's article page spends its CPU, in-process: the WSGI application as gunicorn
calls it (every middleware, the session, auth, the access decision, the cache, the holes),
production settings, on a database prepared by bench_members.py --data-dir; prints JSON.

Run `bench_members.py --data-dir DIR` once first (it imports the corpus and makes a member
session), then:

    .venv/bin/python bench/profile_members.py DIR [--requests N] [--anonymous] [--profile]

CPU time per request (process time, so other processes on a shared machine count little),
queries per request, and with --profile the functions that took the most time (cProfile).
Pages are read once each before measuring, so they come from the cache as in the "warm" run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--anonymous", action="store_true", help="no session cookie")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = parser.parse_args()
    saved = json.loads((args.data_dir / "prepared.json").read_text())
    for name in ("GEOPOL_TESTING", "GEOPOL_DEBUG"):
        os.environ.pop(name, None)
    os.environ["GEOPOL_DATA_DIR"] = str(args.data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "geopol.settings"

    from django.db import connection

    from geopol.wsgi import application

    cookie = "" if args.anonymous else saved["cookie"]
    paths = random.Random(3).sample(saved["paths"], min(2000, len(saved["paths"])))
    statuses: dict[str, int] = {}

    def get(path: str) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie

        def start_response(status: str, headers: list, exc_info: object = None) -> None:
            statuses[status[:3]] = statuses.get(status[:3], 0) + 1

        response = application(environ, start_response)
        for _ in response:
            pass
        response.close()

    for path in paths:  # fills the cache, as the warm run's visits do
        get(path)
    statuses.clear()
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    chosen = [random.Random(7).choice(paths) for _ in range(args.requests)]
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(count):
        if profiler:
            profiler.enable()
        for path in chosen:
            get(path)
        if profiler:
            profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    queries = len(executed)
    result = {
        "reader": "anonymous" if args.anonymous else "member",
        "requests": args.requests,
        "statuses": statuses,
        "cpu_ms_per_request": round(cpu / args.requests * 1000, 3),
        "wall_ms_per_request": round(wall / args.requests * 1000, 3),
        "queries_per_request": round(queries / args.requests, 2),
        "profiled": bool(profiler),
        "load_average": os.getloadavg(),
    }
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
        stats.print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)
        print(out.getvalue(), file=sys.stderr)
        print("\n".join(executed[-8:]), file=sys.stderr)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
