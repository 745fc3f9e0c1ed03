"""HTML article pages: one trafilatura pass gives the main text and the metadata (title,
authors, description, address, section and tags); our own reader of <meta> tags only adds
the time of day of publication, which trafilatura keeps as a date."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from geopol.articles.importers.base import ArticleData, InputError, from_mapping

TIME_KEYS = ("article:published_time", "datepublished", "date")  # first found wins


class _PublishedTimeReader(HTMLParser):
    """The first <meta> giving the publication time, with its time of day."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        if name in TIME_KEYS and a.get("content", "").strip():
            self.found.setdefault(name, a["content"].strip())

    @property
    def published(self) -> str | None:
        return next((self.found[k] for k in TIME_KEYS if k in self.found), None)


def _body_of(text: str) -> str:
    """The Markdown trafilatura wrote, without the metadata header it puts first."""
    if text.startswith("---\n"):
        return text.split("\n---\n", 1)[1] if "\n---\n" in text else ""
    return text


def read_html(text: str) -> list[ArticleData]:
    import trafilatura

    document = trafilatura.extract_with_metadata(
        text,
        output_format="markdown",
        include_formatting=True,
        include_comments=False,
        include_tables=True,
    )
    if document is None:
        raise InputError("no article text found in the page")
    title = " ".join((document.title or "").split())
    if not title:
        raise InputError("no title: the page has no <h1>, og:title or <title>")
    reader = _PublishedTimeReader()
    reader.feed(text)
    meta: dict[str, object] = {"title": title}
    published = reader.published or document.date
    if published:
        meta["published"] = published
    if document.description:
        meta["teaser"] = document.description
    if document.author:  # trafilatura joins several with "; "
        meta["authors"] = [name.strip() for name in document.author.split(";") if name.strip()]
    if document.url:
        meta["source_url"] = document.url
    # article:section and article:tag both
    topics = list(dict.fromkeys([*(document.categories or []), *(document.tags or [])]))
    if topics:
        meta["topics"] = topics
    body = _body_of(document.text or "")
    # trafilatura keeps the headline as the first line of the text: drop it
    lines = body.strip().splitlines()
    if lines and re.sub(r"^#+\s*", "", lines[0]).strip() == title:
        body = "\n".join(lines[1:])
    if not body.strip():
        raise InputError("no article text found in the page")
    return [from_mapping(meta, body)]
