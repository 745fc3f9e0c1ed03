"""HTML article pages: the main text and metadata, with trafilatura doing the extraction."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from geopol.articles.importers.base import ArticleData, InputError, from_mapping

META_KEYS = {
    "og:title": "title",
    "article:published_time": "published",
    "datepublished": "published",
    "date": "published",
    "description": "teaser",
    "og:description": "teaser",
    "author": "authors",
    "article:author": "authors",
    "og:url": "source_url",
    "article:section": "topics",
    "article:tag": "topics",
}


class _MetaReader(HTMLParser):
    """Collects <meta>, <link rel=canonical>, <title> and the first <h1>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical = ""
        self._in: str | None = None
        self.title = ""
        self.h1 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if name and a.get("content"):
                self.meta.setdefault(name, []).append(a["content"].strip())
        elif tag == "link" and a.get("rel", "").lower() == "canonical":
            self.canonical = a.get("href", "")
        elif tag in ("title", "h1") and not getattr(self, tag):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            setattr(self, self._in, (getattr(self, self._in) + data))


def read_html(text: str) -> list[ArticleData]:
    import trafilatura

    reader = _MetaReader()
    reader.feed(text)
    meta: dict[str, object] = {}
    for name, key in META_KEYS.items():
        values = reader.meta.get(name)
        if values and key not in meta:
            meta[key] = values if key in ("authors", "topics") else values[0]
    title = " ".join(reader.h1.split()) or meta.get("title") or " ".join(reader.title.split())
    meta["title"] = title
    if reader.canonical and "source_url" not in meta:
        meta["source_url"] = reader.canonical

    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_formatting=True)
    found_date = getattr(extracted, "date", None)
    if "published" not in meta and found_date:
        meta["published"] = found_date
    body = (
        trafilatura.extract(
            text,
            output_format="markdown",
            include_formatting=True,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
        )
        or ""
    )
    if not title:
        raise InputError("no title: the page has no <h1>, og:title or <title>")
    # trafilatura keeps the headline as the first line of the text: drop it
    lines = body.strip().splitlines()
    if lines and re.sub(r"^#+\s*", "", lines[0]).strip() == str(title).strip():
        body = "\n".join(lines[1:])
    if not body.strip():
        raise InputError("no article text found in the page")
    return [from_mapping(meta, body)]
