"""A daily digest run, end to end: 10,000 members with 5 follows each, 200 new articles, the
database task backend, real `geopol worker` processes and a real SMTP server. Prints JSON.

Timed: the workers matching the 200 articles to the follows (the tasks the import queued),
then `digest-now` queueing the digests and the workers sending them over SMTP. Checked from
what the SMTP server received: one digest per member at most, no article twice to a member.

Reference in the same run: the same number of messages, already built, sent over one SMTP
connection with no database work (the floor for any design that talks SMTP).

    .venv/bin/python bench/bench_digest.py [--members N] [--articles N] [--workers N]
"""

from __future__ import annotations

import argparse
import email
import json
import os
import platform
import random
import re
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEOPOL = str(Path(sys.executable).parent / "geopol")
WORDS = (
    "government military forces border election sanctions ceasefire talks minister "
    "president parliament coalition insurgents militia troops deployment offensive "
    "negotiations economy inflation currency oil gas pipeline port strait shipping"
).split()


def smtp_sink(port: int, path: str) -> None:
    """Run an SMTP server that appends every message it accepts to `path`."""
    from aiosmtpd.controller import Controller

    out = open(path, "ab")  # noqa: SIM115 - open for the life of the process

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            data = envelope.original_content or envelope.content
            out.write(b"%d\n" % len(data) + data)
            out.flush()
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def read_sink(path: Path) -> list[bytes]:
    data, messages, pos = path.read_bytes(), [], 0
    while pos < len(data):
        end = data.index(b"\n", pos)
        size = int(data[pos:end])
        messages.append(data[end + 1 : end + 1 + size])
        pos = end + 1 + size
    return messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_workers(n: int, env: dict[str, str]) -> None:
    procs = [
        subprocess.Popen(
            [GEOPOL, "worker", "--batch", "--no-startup-delay", "--interval", "0", "-v", "0"],
            env=env,
        )
        for _ in range(n)
    ]
    for proc in procs:
        if proc.wait() != 0:
            sys.exit(f"a worker failed with status {proc.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--follows", type=int, default=5)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--setup-only", action="store_true", help="build the data, print its folder, stop"
    )
    parser.add_argument("--smtp-sink", nargs=2, metavar=("PORT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smtp_sink:
        smtp_sink(int(args.smtp_sink[0]), args.smtp_sink[1])
        return

    data_dir = Path(tempfile.mkdtemp(prefix="geopol-bench-digest-"))
    port = free_port()
    env = {
        **os.environ,
        "GEOPOL_DATA_DIR": str(data_dir),
        "GEOPOL_SMTP_HOST": "127.0.0.1",
        "GEOPOL_SMTP_PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "geopol.settings",
    }
    os.environ.update(env)
    sink_file = data_dir / "received.bin"
    sink = subprocess.Popen(
        [sys.executable, __file__, "--smtp-sink", str(port), str(sink_file)], env=env
    )
    try:
        run(args, data_dir, env, sink, sink_file)
    finally:
        sink.terminate()
        sink.wait()


def run(args, data_dir: Path, env: dict[str, str], sink, sink_file: Path) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    from geopol.articles.importers.base import from_mapping
    from geopol.articles.services import import_articles
    from geopol.extraction.models import Actor, ArticleEntity, EntityKind
    from geopol.follows import tasks
    from geopol.follows.models import Delivery, Follow
    from geopol.geo.models import Country, Region

    rng = random.Random(5)
    countries = list(Country.objects.filter(region__isnull=False).values_list("code", flat=True))
    popular = rng.sample(countries, 40)  # what analyses are about, and what members follow
    regions = list(Region.objects.values_list("slug", flat=True))
    actors = rng.sample(list(Actor.objects.values_list("slug", flat=True)), 30)
    topics = [f"Topic {n}" for n in range(12)]
    authors = [f"Analyst {n}" for n in range(15)]

    # 200 new articles, imported the way `geopol import` does (geoparsing included); the
    # import queues one matching task per article
    records = []
    for i in range(args.articles):
        body = "\n\n".join(" ".join(rng.choices(WORDS, k=80)).capitalize() + "." for _ in range(4))
        records.append(
            from_mapping(
                {
                    "title": f"Bench analysis {i}",
                    "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "countries": rng.sample(popular, rng.randint(1, 3)),
                    "topics": [rng.choice(topics)],
                    "authors": [rng.choice(authors)],
                    "access": rng.choice(["public", "public", "registered", "members"]),
                    "source_url": f"https://bench.example/{i}",
                },
                body,
                line=i + 1,
            )
        )
    imported = [article for article, _ in import_articles(records, source="bench")]
    ArticleEntity.objects.bulk_create(
        ArticleEntity(
            article=article,
            kind=EntityKind.ACTOR,
            key=slug,
            name=slug,
            mentions=rng.randint(1, 6),
        )
        for article in imported
        for slug in rng.sample(actors, rng.randint(0, 2))
    )

    password = make_password("bench passphrase")
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"m{n}", email=f"m{n}@bench.example", password=password)
        for n in range(args.members)
    )
    pool = (
        [("country", c) for c in popular] * 3
        + [("region", r) for r in regions]
        + [("actor", a) for a in actors]
        + [("topic", t.lower().replace(" ", "-")) for t in topics]
        + [("author", a.lower().replace(" ", "-")) for a in authors]
    )
    follows = []
    for user_id in User.objects.values_list("pk", flat=True):
        picks: set[tuple[str, str]] = set()
        while len(picks) < args.follows:
            picks.add(rng.choice(pool))
        follows += [Follow(user_id=user_id, kind=k, key=v, frequency="daily") for k, v in picks]
    Follow.objects.bulk_create(follows, batch_size=5000)
    queued = DBTaskResult.objects.count()
    from django.db import connection

    connection.close()  # the workers own the database from here

    if args.setup_only:
        print(data_dir)
        return

    # the timed run
    self_cpu, child_cpu = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run_workers(args.workers, env)
    matched = time.perf_counter()
    match_cpu = (
        cpu_seconds(resource.RUSAGE_SELF)
        - self_cpu
        + cpu_seconds(resource.RUSAGE_CHILDREN)
        - child_cpu
    )
    digest_members = tasks.enqueue_digests(timezone.now())
    connection.close()
    run_workers(args.workers, env)
    finished = time.perf_counter()
    cpu = (
        cpu_seconds(resource.RUSAGE_SELF)
        - self_cpu
        + cpu_seconds(resource.RUSAGE_CHILDREN)
        - child_cpu
    )
    time.sleep(0.5)

    # what the members received
    raw = read_sink(sink_file)
    per_member: Counter[str] = Counter()
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for data in raw:
        message = email.message_from_bytes(data)
        to = message["To"]
        per_member[to] += 1
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                text = part.get_payload(decode=True).decode()
                for slug in set(re.findall(r"/articles/([\w-]+)/", text)):
                    seen[to][slug] += 1
    duplicates = sum(n - 1 for counts in seen.values() for n in counts.values() if n > 1)
    deliveries = Delivery.objects.count()

    # reference: the same number of prebuilt messages over one SMTP connection
    reference_seconds = None
    if raw:
        import smtplib

        ref_port = free_port()
        ref_sink = subprocess.Popen(
            [sys.executable, __file__, "--smtp-sink", str(ref_port), str(data_dir / "ref.bin")],
            env=env,
        )
        time.sleep(1.0)
        sample = raw[0]
        ref_started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", ref_port) as smtp:
            for _ in raw:
                smtp.sendmail("alerts@localhost", ["m0@bench.example"], sample)
        reference_seconds = time.perf_counter() - ref_started
        ref_sink.terminate()
        ref_sink.wait()

    elapsed = finished - started
    result = {
        "benchmark": "daily_digest_v1",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "sqlite": sqlite3.sqlite_version,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "members": args.members,
        "follows": Follow.objects.count(),
        "articles": args.articles,
        "task_backend": "database (django-tasks-db)",
        "workers": args.workers,
        "tasks_queued_by_import": queued,
        "deliveries": deliveries,
        "digest_members": digest_members,
        "messages": len(raw),
        "members_with_more_than_one_digest": sum(1 for n in per_member.values() if n > 1),
        "duplicates": duplicates,
        "seconds": {
            "match": round(matched - started, 2),
            "digest": round(finished - matched, 2),
            "elapsed": round(elapsed, 2),
            "cpu": round(cpu, 2),
            "cpu_match": round(match_cpu, 2),
            "cpu_digest": round(cpu - match_cpu, 2),
            "reference_smtp_only": round(reference_seconds, 2) if reference_seconds else None,
        },
        "messages_per_second": round(len(raw) / (finished - matched), 1) if raw else 0,
        "ratio_to_reference": round((finished - matched) / reference_seconds, 1)
        if reference_seconds
        else None,
        "under_60s": elapsed < 60,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
