"""The files a command is given (files, folders, glob patterns) and the articles read from
them, for the commands that read article files: `geopol import`, `geopol extract` and
`geopol lint`. Errors and warnings name the file and line the same way in all three."""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

from geopol.articles.importers import READERS, ArticleData, InputError, read_file

NOTHING_TO_IMPORT = "the folder holds no " + ", ".join(READERS) + " file"
NOT_FOUND = "no such file, folder or matching file"
FOLDER_NOTES = {"README", "LICENSE", "CHANGELOG", "NOTES"}


class Source(NamedTuple):
    """One file named by the arguments, or an argument that names none (`problem` says why)."""

    label: str
    path: Path | None
    problem: str = ""


def expand(arguments: list[str]) -> list[Source]:
    """Files named by the arguments: files, folders (searched recursively) and glob patterns.
    Inside a folder, hidden files and README/LICENSE notes are not articles and are skipped; a
    file named on its own is always read."""
    found: list[Source] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _is_article(p))
            found.extend(Source(str(p), p) for p in files)
            if not files:
                found.append(Source(argument, None, NOTHING_TO_IMPORT))
        elif path.is_file():
            found.append(Source(argument, path))
        elif glob.has_magic(argument):
            files = sorted(p for p in map(Path, glob.glob(argument, recursive=True)) if p.is_file())
            found.extend(Source(str(p), p) for p in files)
            if not files:
                found.append(Source(argument, None, NOT_FOUND))
        else:
            found.append(Source(argument, None, NOT_FOUND))
    return found


def _is_article(path: Path) -> bool:
    return (
        path.suffix.lower() in READERS
        and not path.name.startswith(".")
        and path.stem.upper() not in FOLDER_NOTES
    )


def where(label: str, line: int | None) -> str:
    """`FILE:LINE`, or `FILE` when no line is known."""
    return f"{label}:{line}" if line else label


class ArticleFiles:
    """The articles of the files named by `arguments`, read one file at a time, as
    (file label, article). Each file that cannot be read is reported as `error: FILE:LINE:
    reason` and skipped, each value read leniently as `warning: FILE:LINE: reason`;
    `failed` says afterwards whether any file failed."""

    def __init__(self, arguments: list[str], report: Callable[[str], object]):
        self.arguments = arguments
        self.report = report
        self.failed = False

    def __iter__(self) -> Iterator[tuple[str, ArticleData]]:
        for label, path, problem in expand(self.arguments):
            if path is None:
                self._error(label, problem)
                continue
            try:
                items = read_file(path, settings.GEOPOL_IMPORT_MAX_BYTES)
            except InputError as error:
                self._error(where(label, error.line), error.reason)
                continue
            except OSError as error:
                self._error(label, error.strerror or str(error))
                continue
            for data in items:
                for warning in data.warnings:
                    self.report(f"warning: {where(label, warning.line)}: {warning.reason}")
                yield label, data

    def _error(self, place: str, reason: str) -> None:
        self.report(f"error: {place}: {reason}")
        self.failed = True
