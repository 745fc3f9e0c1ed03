"""Backups an operator can trust: one archive with a consistent snapshot of the database (the
search index lives in it), a portable copy of the data, and the uploaded files.

An archive is a gzipped tar:

    manifest.json        format, when, which database, the migrations applied, row counts
    database.sqlite3     SQLite's online backup of the live database   (from SQLite)
    database.pgdump      `pg_dump --format=custom`                      (from PostgreSQL)
    data.jsonl           the rows as `dumpdata --format jsonl` writes them, one a line,
                         natural keys, from the same snapshot on SQLite; the way into the
                         other database kind (archives before 2026-12 hold data.json)
    media/...            uploaded files

Restoring into the same kind of database copies the snapshot back (search index included);
into the other kind it migrates, loads data.jsonl a line at a time (so a large archive is
never held in memory) and leaves the search index to be rebuilt.
Nothing here knows about articles: callers pass what to run afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

FORMAT = 1
# Rows Django recreates itself after `migrate` (and whose ids differ between databases), and
# state worth nothing after a restore; natural keys carry the references to them.
NOT_DUMPED = ["contenttypes", "auth.permission", "sessions"]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    format: int
    created: str
    vendor: str  # "sqlite" or "postgresql"
    migrations: dict[str, str]  # app label -> the last migration applied
    counts: dict[str, int]  # model label -> rows
    media_files: int

    @classmethod
    def read(cls, raw: bytes, archive: Path) -> Manifest:
        try:
            data = json.loads(raw)
            return cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(
                f"{archive}: manifest.json is not a Geopol backup manifest ({error})"
            ) from error


def _vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def _applied_migrations(alias: str = "default") -> dict[str, str]:
    last: dict[str, str] = {}
    recorder = MigrationRecorder(connections[alias])
    for app, name in sorted(recorder.applied_migrations()):
        last[app] = max(last.get(app, name), name)
    return last


def _counts(alias: str = "default") -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.using(alias).count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


@contextmanager
def _sqlite_snapshot() -> Iterator[Path]:
    """The live SQLite database copied by SQLite's online backup API (readers and writers
    go on; the copy is one consistent state), as a file that exists inside the block."""
    connection = connections["default"]
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="geopol-backup-") as folder:
        path = Path(folder) / "database.sqlite3"
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        yield path


@contextmanager
def _alias_for(path: Path) -> Iterator[str]:
    """A Django database alias reading the SQLite file at `path`, for the length of the block."""
    alias = "geopol_backup_snapshot"
    connections.settings[alias] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {},
    }
    try:
        yield alias
    finally:
        if alias in connections:
            connections[alias].close()
            del connections[alias]
        connections.settings.pop(alias, None)


DATA = "data.jsonl"  # one row a line: loaded a line at a time
OLD_DATA = "data.json"  # one JSON array, which loaddata reads whole: archives before 2026-12


def _dump_json(alias: str, path: Path) -> Path:
    """The rows as `dumpdata` writes them, streamed to `path` (not held in memory)."""
    call_command(
        "dumpdata",
        format="jsonl",
        database=alias,
        natural_foreign=True,
        natural_primary=True,
        exclude=NOT_DUMPED,
        output=str(path),
        verbosity=0,
    )
    return path


def _postgres_url(alias: str = "default") -> list[str]:
    """pg_dump/pg_restore connection arguments for a Django PostgreSQL alias."""
    conf = connections[alias].settings_dict
    args = ["--dbname", conf["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    return args


def _postgres_env(alias: str = "default") -> dict[str, str]:
    password = connections[alias].settings_dict.get("PASSWORD")
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def _run(command: list[str], what: str, **kwargs: Any) -> subprocess.CompletedProcess:
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    try:
        result = subprocess.run(command, stderr=subprocess.PIPE, **kwargs)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs to {what}"
        ) from error
    if result.returncode:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{what} failed: {command[0]}: {detail[-1] if detail else '?'}")
    return result


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def write_backup(archive: Path) -> Manifest:
    """Write a backup of the configured database and uploaded files to `archive`; it appears
    only once complete (written aside, then renamed)."""
    archive = archive.expanduser().resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    vendor = _vendor()
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    partial = archive.with_name(archive.name + ".partial")
    media = _media_files()
    try:
        with (
            tarfile.open(partial, "w:gz") as tar,
            tempfile.TemporaryDirectory(prefix="geopol-backup-") as folder,
        ):
            work = Path(folder)
            if vendor == "sqlite":
                with _sqlite_snapshot() as snapshot, _alias_for(snapshot) as alias:
                    # every part from the one snapshot, so they agree with each other
                    manifest = _manifest(vendor, alias, len(media))
                    tar.add(snapshot, "database.sqlite3")
                    tar.add(_dump_json(alias, work / DATA), DATA)
            else:
                manifest = _manifest(vendor, "default", len(media))
                dump = work / "database.pgdump"
                with dump.open("wb") as out:
                    _run(
                        ["pg_dump", "--format=custom", "--no-owner", *_postgres_url()],
                        "the PostgreSQL dump",
                        stdout=out,
                        env=_postgres_env(),
                    )
                tar.add(dump, "database.pgdump")
                tar.add(_dump_json("default", work / DATA), DATA)
            root = Path(settings.MEDIA_ROOT)
            for path in media:
                tar.add(path, f"media/{path.relative_to(root).as_posix()}")
            _add(tar, "manifest.json", json.dumps(manifest.__dict__, indent=1).encode())
        os.replace(partial, archive)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _manifest(vendor: str, alias: str, media_files: int) -> Manifest:
    return Manifest(
        format=FORMAT,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        vendor=vendor,
        migrations=_applied_migrations(alias),
        counts=_counts(alias),
        media_files=media_files,
    )


def _open(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file; give the path of a `geopol backup` archive")
    try:
        return tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive}: not a Geopol backup (a .tar.gz archive): {error}") from error


def _member(tar: tarfile.TarFile, name: str, archive: Path) -> bytes:
    """A small member's bytes (the manifest)."""
    return _stream(tar, name, archive).read()


def _stream(tar: tarfile.TarFile, name: str, archive: Path) -> IO[bytes]:
    try:
        member = tar.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"{archive}: {name} is missing; the archive is incomplete")
    return member


def _extract(tar: tarfile.TarFile, name: str, archive: Path, folder: Path) -> Path:
    """A member copied to a file in `folder`, a block at a time."""
    path = folder / Path(name).name
    with path.open("wb") as out:
        shutil.copyfileobj(_stream(tar, name, archive), out)
    return path


def read_manifest(archive: Path) -> Manifest:
    with _open(archive) as tar:
        return Manifest.read(_member(tar, "manifest.json", archive), archive)


def _check_migrations(manifest: Manifest, archive: Path) -> None:
    """Refuse a backup made by a newer Geopol: its tables have columns this code lacks."""
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}" for app, name in manifest.migrations.items() if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"{archive} was made by a newer Geopol (migrations {', '.join(unknown[:3])} are "
            "unknown here); upgrade Geopol, then restore"
        )


def holds_data(watched: list[type[Model]], alias: str = "default") -> bool:
    """True when the database holds users or rows of `watched` models, which a restore would
    replace; what migrations seed (countries, regions, groups) does not count."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    models = [apps.get_model(settings.AUTH_USER_MODEL), *watched]
    return any(
        m._meta.db_table in tables and m._default_manager.using(alias).exists() for m in models
    )


def restore_backup(
    archive: Path, *, replace: bool, watched: list[type[Model]]
) -> tuple[Manifest, bool]:
    """Restore `archive` into the configured database and media folder. Returns the manifest
    and whether the search index must be rebuilt (a restore into the other database kind).
    Refuses to overwrite a database holding users or `watched` rows unless `replace`."""
    archive = archive.expanduser().resolve()
    with (
        _open(archive) as tar,
        tempfile.TemporaryDirectory(prefix="geopol-restore-") as folder,
    ):
        manifest = Manifest.read(_member(tar, "manifest.json", archive), archive)
        if manifest.format != FORMAT:
            raise BackupError(f"{archive}: backup format {manifest.format} is not known here")
        _check_migrations(manifest, archive)
        call_command("migrate", interactive=False, verbosity=0)
        if holds_data(watched) and not replace:
            raise BackupError(
                "the database already holds users or articles; restoring replaces all of them: "
                "run again with --replace (after a `geopol backup` of what is there now)"
            )
        work = Path(folder)
        vendor = _vendor()
        if vendor == manifest.vendor == "sqlite":
            _restore_sqlite(_extract(tar, "database.sqlite3", archive, work))
        elif vendor == manifest.vendor == "postgresql":
            _restore_postgres(_extract(tar, "database.pgdump", archive, work))
        else:
            data = DATA if DATA in tar.getnames() else OLD_DATA
            _restore_portable(_extract(tar, data, archive, work))
        call_command("migrate", interactive=False, verbosity=0)  # a backup from an older Geopol
        _restore_media(tar)
    return manifest, vendor != manifest.vendor


def _restore_sqlite(snapshot: Path) -> None:
    """Copy the snapshot over the live database with the online backup API: one transaction
    on the target, so it is either the old database or the restored one."""
    source = sqlite3.connect(snapshot)
    connection = connections["default"]
    connection.ensure_connection()
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgres(dump: Path) -> None:
    connections["default"].close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *_postgres_url(),
            str(dump),
        ],
        "the PostgreSQL restore",
        env=_postgres_env(),
    )


def _restore_portable(data: Path) -> None:
    """Into the other kind of database: empty it, then load the rows (one transaction)."""
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(data), verbosity=0)


def _restore_media(tar: tarfile.TarFile) -> None:
    root = Path(settings.MEDIA_ROOT)
    members = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
    if not members:
        return
    with tempfile.TemporaryDirectory(prefix="geopol-media-", dir=root.parent) as folder:
        # "data" refuses absolute paths, links out of the folder and device files
        tar.extractall(folder, members=members, filter="data")
        shutil.copytree(Path(folder) / "media", root, dirs_exist_ok=True)
