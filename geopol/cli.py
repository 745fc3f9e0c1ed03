"""The `geopol` command: one entry point for operators and editors.

    geopol [--data-dir DIR] import PATH... [--json]
    geopol [--data-dir DIR] search QUERY [--json] [--limit N]
    geopol [--data-dir DIR] extract PATH... [--json]
    geopol [--data-dir DIR] lint PATH... [--json]
    geopol [--data-dir DIR] forecasts resolve ID true|false|annulled [--note N] [--link URL]
    geopol [--data-dir DIR] forecasts list [--open]
    geopol [--data-dir DIR] gazetteer load FILE...
    geopol [--data-dir DIR] demo
    geopol [--data-dir DIR] reindex
    geopol [--data-dir DIR] backup [FILE]
    geopol [--data-dir DIR] restore FILE [--replace]
    geopol [--data-dir DIR] serve [--host H] [--port P] [--workers N] [--threads T]
                                  [--server granian|gunicorn] [--no-access-log]
                                  [--no-worker]
    geopol [--data-dir DIR] alerts send-due | digest-now | status
    geopol [--data-dir DIR] worker [db_worker options]   (runs background tasks: alerts, storylines)
    geopol [--data-dir DIR] manage DJANGO_COMMAND ...   (createsuperuser, shell, ...)

A command run against an empty data dir migrates it first.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

COMMANDS = {
    "import": (
        "geopol.articles",
        "import_articles",
        "import articles from files, folders or globs",
    ),
    "search": ("geopol.articles", "search_articles", "search the published archive"),
    "extract": (
        "geopol.extraction",
        "extract_articles",
        "print the places, countries, actors and dated events of article files",
    ),
    "gazetteer": (
        "geopol.extraction",
        "load_gazetteer",
        "gazetteer load FILE...: add GeoNames dumps to the gazetteer",
    ),
    "lint": (
        "geopol.forecasts",
        "lint_articles",
        "check the estimative language of article files (ICD 203) and propose key judgments",
    ),
    "forecasts": (
        "geopol.forecasts",
        "forecasts",
        "forecasts resolve ID true|false|annulled --note ... | list: the forecast ledger",
    ),
    "demo": ("geopol.articles", "load_demo", "load the demo corpus"),
    "backup": (
        "geopol.articles",
        "backup_data",
        "backup [FILE]: write a consistent backup of the database and uploaded files",
    ),
    "restore": (
        "geopol.articles",
        "restore_data",
        "restore FILE [--replace]: restore a backup, into SQLite or PostgreSQL",
    ),
    "reindex": ("geopol.articles", "reindex_search", "rebuild the search index"),
    "alerts": (
        "geopol.follows",
        "send_alerts",
        "alerts send-due|digest-now|status|prune: queue due alerts and digests (cron: every "
        "minute), forget old ones",
    ),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geopol",
        description="Geopol: publish, map, connect and search geopolitical analyses.",
        epilog="Run 'geopol COMMAND --help' for a command's options. "
        "Settings come from the environment: see docs/settings.md.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the SQLite database and other stored files live "
        "(default: $GEOPOL_DATA_DIR, else ./var)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, _, summary) in COMMANDS.items():
        commands.add_parser(name, help=summary, add_help=False)
    serve = commands.add_parser(
        "serve",
        help="serve the site (granian, or gunicorn)",
        description="Serve the site with static files (whitenoise), production settings "
        "unless GEOPOL_DEBUG. granian by default: its HTTP side is Rust, so a cached article "
        "page costs ~0.3 ms less CPU than under gunicorn (docs/performance.md).",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=3, help="worker processes (default: 3)")
    serve.add_argument(
        "--threads",
        type=int,
        default=1,
        help="Python threads per worker (default: 1). granian: its blocking threads; "
        "gunicorn: above 1, its gthread workers, which keep connections alive",
    )
    serve.add_argument(
        "--server",
        choices=["granian", "gunicorn"],
        default="granian",
        help="the WSGI server (default: granian)",
    )
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="do not write a line per request to standard output",
    )
    serve.add_argument(
        "--worker",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also run the task worker (restarted if it dies) and `geopol alerts send-due` "
        "every minute, stopped with the server (default: $GEOPOL_SERVE_WORKER, on with "
        "SQLite). --no-worker for scale-out, where `geopol worker` and a timer run apart",
    )
    commands.add_parser(
        "worker",
        help="run the background-task worker (sends alerts, threads imports into storylines)",
        add_help=False,
    )
    commands.add_parser("manage", help="run any Django management command", add_help=False)
    return parser


def _setup(data_dir: str | None) -> None:
    if data_dir:
        os.environ["GEOPOL_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopol.settings")
    import django

    django.setup()


def migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def serve(
    host: str,
    port: int,
    workers: int,
    threads: int = 1,
    server: str = "granian",
    access_log: bool = True,
    worker: bool | None = None,
) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from geopol.supervisor import Supervisor

    if server == "gunicorn" and importlib.util.find_spec("gunicorn") is None:
        sys.exit("geopol serve: gunicorn is not installed: pip install 'geopol[gunicorn]'")
    call_command("collectstatic", interactive=False, verbosity=0)
    args = server_command(host, port, workers, threads, server, access_log)
    worker = settings.GEOPOL_SERVE_WORKER if worker is None else worker
    beside = " with the task worker and the minute timer" if worker else ""
    print(f"Geopol at http://{host}:{port}/{beside}  (Ctrl-C stops)", flush=True)
    if not worker:
        os.execv(sys.executable, args)
    connections.close_all()  # serve itself only watches its children from here on
    geopol = [sys.executable, "-m", "geopol.cli"]
    supervisor = Supervisor(
        server=args,
        helpers=[[*geopol, "worker"]],
        # through `manage`: serve has migrated already; `geopol alerts` would plan the
        # migrations again every minute (2.2 -> 1.7 s of CPU a run, measured on the demo)
        timer=[*geopol, "manage", "send_alerts", "send-due"],
    )
    sys.exit(supervisor.run())


def server_command(
    host: str, port: int, workers: int, threads: int, server: str, access_log: bool
) -> list[str]:
    if server == "granian":
        # A worker that dies (a crash, the OOM killer, kill -9) is replaced after a second;
        # the others go on accepting meanwhile. Without the flag granian shuts down.
        return [
            *(sys.executable, "-m", "granian", "--interface", "wsgi", "geopol.wsgi:application"),
            *("--host", host, "--port", str(port), "--workers", str(workers)),
            *("--blocking-threads", str(threads), "--workers-kill-timeout", "5"),
            *("--respawn-failed-workers", "--respawn-interval", "1"),
            "--access-log" if access_log else "--no-access-log",
        ]
    args = [
        *(sys.executable, "-m", "gunicorn", "geopol.wsgi:application"),
        *("--bind", f"{host}:{port}", "--workers", str(workers), "--graceful-timeout", "5"),
    ]
    if access_log:
        args += ["--access-logfile", "-"]
    if threads > 1:
        args += ["--worker-class", "gthread", "--threads", str(threads)]
    return args


def worker_command() -> list[str]:
    """The worker of the configured task backend: RQ's with Redis, else the database one."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
        return ["rqworker", "--job-class", "django_tasks_rq.Job", "default"]
    return ["db_worker"]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    # Split at the command: what precedes it is ours, what follows belongs to the command.
    index = next(
        (i for i, a in enumerate(argv) if a in COMMANDS or a in ("serve", "manage", "worker")), None
    )
    if index is None:
        parser.parse_args(argv)  # handles --help; otherwise a usage error
        parser.print_help()
        sys.exit(2)
    ours, command, rest = argv[:index], argv[index], argv[index + 1 :]
    rest, moved = data_dir_after_command(rest)
    ours = [*ours, *moved]
    options = parser.parse_args([*ours, command] if command != "serve" else [*ours, command, *rest])
    _setup(options.data_dir)

    from django.core.management import execute_from_command_line, load_command_class

    if command == "manage":
        execute_from_command_line(["geopol manage", *rest])
        return
    migrate_if_needed()
    if command == "serve":
        serve(
            options.host,
            options.port,
            options.workers,
            options.threads,
            options.server,
            options.access_log,
            options.worker,
        )
        return
    if command == "worker":
        execute_from_command_line(["geopol worker", *worker_command(), *rest])
        return
    app, name, _ = COMMANDS[command]
    if command == "gazetteer":
        if not rest or rest[0] not in ("load", "-h", "--help"):
            sys.exit("usage: geopol gazetteer load FILE...")
        if rest[0] == "load":
            rest, command = rest[1:], "gazetteer load"
    handler = load_command_class(app, name)
    if command == "search":
        rest = query_words_last(handler.create_parser("geopol", command), rest)
    handler.run_from_argv(["geopol", command, *rest])


def data_dir_after_command(args: list[str]) -> tuple[list[str], list[str]]:
    """`--data-dir DIR` written after the command (`geopol import --data-dir d x.md`) is ours
    too: split it out, so every command takes it on either side."""
    rest: list[str] = []
    moved: list[str] = []
    items = iter(args)
    for arg in items:
        if arg == "--":
            rest += [arg, *items]
        elif arg == "--data-dir":
            moved += [arg, next(items, "")]
        elif arg.startswith("--data-dir="):
            moved.append(arg)
        else:
            rest.append(arg)
    return rest, moved


def query_words_last(parser: argparse.ArgumentParser, args: list[str]) -> list[str]:
    """`geopol search -mali` excludes a word: what is not one of the command's options (or
    an option's value) is a query word, passed after `--` so argparse takes it as one."""
    options, words, i = [], [], 0
    while i < len(args):
        action = parser._option_string_actions.get(args[i].split("=", 1)[0])
        if action is None:
            words.append(args[i])
            i += 1
            continue
        takes = 0 if action.nargs == 0 or "=" in args[i] else 1
        options += args[i : i + 1 + takes]
        i += 1 + takes
    return [*options, "--", *words] if words else options


if __name__ == "__main__":
    main()
