"""Readers for the import formats (docs/formats.md). Pure: bytes in, ArticleData out, no ORM.

Each reader takes the decoded text of one file and returns the articles in it, or raises
InputError naming the line and the reason. `read_file` adds the checks every format shares
(size, binary content, UTF-8) and picks the reader by extension.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geopol.articles.importers.base import ArticleData, FigureData, InputError, from_mapping
from geopol.articles.importers.html import read_html
from geopol.articles.importers.jsonl import read_jsonl
from geopol.articles.importers.markdown import read_markdown
from geopol.articles.importers.pagedump import read_pagedump

__all__ = ["READERS", "ArticleData", "FigureData", "InputError", "from_mapping", "read_file"]

READERS: dict[str, Callable[[str], list[ArticleData]]] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_pagedump,
}


def decode(data: bytes) -> str:
    """UTF-8 text of a file, or InputError naming the line of the first undecodable byte."""
    if not data.strip():
        raise InputError("the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError("the file is binary, not text; export the article as text first")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"invalid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "re-save the file as UTF-8",
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def read_file(path: Path, max_bytes: int) -> list[ArticleData]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"unknown file type {path.suffix or '(none)'!r}; use one of {known}")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"the file is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB "
            "limit; split it, or raise GEOPOL_IMPORT_MAX_BYTES"
        )
    articles = reader(decode(path.read_bytes()))
    if not articles:
        raise InputError("no article found in the file")
    return articles
