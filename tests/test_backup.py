"""`geopol backup` and `geopol restore`, as an operator runs them: a round trip on SQLite, a
move from SQLite to PostgreSQL and back, a PostgreSQL round trip, and the refusals."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parent.parent

PIECE = """---
title: {title}
published: 2021-0{month}-03T08:00:00Z
type: analysis
countries: [{country}]
---

{body}
"""


def _env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "GEOPOL_TESTING", "DATABASE_URL", "GEOPOL_DEBUG"):
        env.pop(name, None)
    env.update(DJANGO_SETTINGS_MODULE="geopol.settings", GEOPOL_DATA_DIR=str(data_dir))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def geopol(data_dir: Path, *args: str, database_url: str | None = None, ok: bool = True):
    result = subprocess.run(
        [sys.executable, "-m", "geopol.cli", *args],
        cwd=REPO,
        env=_env(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert result.returncode == 0, f"geopol {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def found(data_dir: Path, query: str, database_url: str | None = None) -> list[str]:
    out = geopol(data_dir, "search", query, "--json", database_url=database_url).stdout
    return [hit["title"] for hit in json.loads(out)]


def write_piece(folder: Path, name: str, title: str, month: int, country: str, body: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(PIECE.format(title=title, month=month, country=country, body=body))
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A SQLite data dir with two imported analyses and an uploaded file."""
    data_dir = tmp_path_factory.mktemp("backup-site")
    pieces = tmp_path_factory.mktemp("pieces")
    write_piece(
        pieces,
        "a",
        "Grain corridors reopen",
        3,
        "UA",
        "Shipments of wheat left Odesa under a corridor agreement brokered in Istanbul.",
    )
    write_piece(
        pieces,
        "b",
        "Lithium rush in the high Andes",
        4,
        "BO",
        "Bolivia opened its salt flats near Uyuni to foreign lithium contracts.",
    )
    geopol(data_dir, "import", str(pieces))
    upload = data_dir / "media" / "figures" / "corridor.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\x89PNG\r\n\x1a\n-a-figure")
    return data_dir


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    if "postgres" not in settings.DATABASES:
        reason = getattr(settings, "TEST_POSTGRES_UNAVAILABLE", "") or "no PostgreSQL"
        if os.environ.get("GEOPOL_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (GEOPOL_REQUIRE_POSTGRES=1 forbids skipping)", pytrace=False)
        pytest.skip(reason)
    import psycopg

    conf = settings.DATABASES["postgres"]
    user, host = conf["USER"] or "postgres", conf["HOST"] or "127.0.0.1"
    server = f"postgresql://{user}@{host}:{conf['PORT'] or 5432}"
    name = f"geopol_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_sqlite_round_trip_brings_back_what_was_backed_up(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    out = geopol(site, "backup", str(archive)).stdout
    assert str(archive) in out and "1 uploaded files" in out
    # after the backup: a third piece, and the figure overwritten
    later = write_piece(tmp_path, "c", "Monsoon floods in Sindh", 8, "PK", "Floods in Sindh.")
    geopol(site, "import", str(later))
    (site / "media" / "figures" / "corridor.png").write_bytes(b"changed")

    refused = geopol(site, "restore", str(archive), ok=False)
    assert refused.returncode != 0 and "--replace" in refused.stderr
    assert found(site, "Sindh") == ["Monsoon floods in Sindh"], "a refusal changes nothing"

    geopol(site, "restore", str(archive), "--replace")
    assert found(site, "Sindh") == []
    assert found(site, "lithium") == ["Lithium rush in the high Andes"]
    assert (site / "media" / "figures" / "corridor.png").read_bytes().endswith(b"-a-figure")


def test_sqlite_moves_to_postgresql_and_back(site, tmp_path, postgres_database):
    archive = tmp_path / "from-sqlite.tar.gz"
    geopol(site, "backup", str(archive))
    moved = tmp_path / "on-postgres"
    out = geopol(moved, "restore", str(archive), database_url=postgres_database).stdout
    assert "rebuilding the search index" in out
    assert found(moved, "corridor", postgres_database) == ["Grain corridors reopen"]
    assert found(moved, "country:BO", postgres_database) == ["Lithium rush in the high Andes"]
    assert (moved / "media" / "figures" / "corridor.png").exists()

    # and back: a PostgreSQL backup (pg_dump) restored into a new SQLite data dir
    back_archive = tmp_path / "from-postgres.tar.gz"
    geopol(moved, "backup", str(back_archive), database_url=postgres_database)
    back = tmp_path / "back-on-sqlite"
    geopol(back, "restore", str(back_archive))
    assert found(back, "Odesa") == ["Grain corridors reopen"]


def test_the_rows_go_one_a_line_and_older_archives_still_restore(site, tmp_path, postgres_database):
    """data.jsonl is read a line at a time (a large archive is never held in memory whole);
    an archive written before holds one JSON array, data.json, and restores too."""
    archive = tmp_path / "site.tar.gz"
    geopol(site, "backup", str(archive))
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        lines = tar.extractfile("data.jsonl").read().decode().splitlines()
        members = {n: tar.extractfile(n).read() for n in names if not n.startswith("media/")}
    assert "data.json" not in names
    rows = [json.loads(line) for line in lines]
    assert sum(r["model"] == "articles.article" for r in rows) == 2
    old = tmp_path / "old.tar.gz"
    with tarfile.open(old, "w:gz") as tar:
        members["data.json"] = json.dumps(rows).encode()
        del members["data.jsonl"]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    moved = tmp_path / "old-on-postgres"
    geopol(moved, "restore", str(old), database_url=postgres_database)
    assert found(moved, "Odesa", postgres_database) == ["Grain corridors reopen"]


def test_a_postgresql_round_trip_uses_its_own_dump(site, tmp_path, postgres_database):
    archive = tmp_path / "from-sqlite.tar.gz"
    geopol(site, "backup", str(archive))
    on_pg = tmp_path / "pg"
    geopol(on_pg, "restore", str(archive), database_url=postgres_database)
    pg_archive = tmp_path / "pg.tar.gz"
    geopol(on_pg, "backup", str(pg_archive), database_url=postgres_database)
    later = write_piece(tmp_path, "d", "Harvest fails in the Sahel", 9, "NE", "Niger harvest.")
    geopol(on_pg, "import", str(later), database_url=postgres_database)
    geopol(on_pg, "restore", str(pg_archive), "--replace", database_url=postgres_database)
    assert found(on_pg, "harvest", postgres_database) == []
    assert found(on_pg, "wheat", postgres_database) == ["Grain corridors reopen"]


def test_what_is_not_a_backup_gets_a_clear_error(tmp_path):
    data_dir = tmp_path / "empty"
    junk = tmp_path / "notes.tar.gz"
    junk.write_text("these are not the files you are looking for")
    result = geopol(data_dir, "restore", str(junk), ok=False)
    assert result.returncode != 0
    assert f"{junk}: not a Geopol backup" in result.stderr
    assert "Traceback" not in result.stderr
    missing = geopol(data_dir, "restore", str(tmp_path / "nope.tar.gz"), ok=False)
    assert "no such file" in missing.stderr and "Traceback" not in missing.stderr
