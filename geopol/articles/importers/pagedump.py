"""The page-dump text format: what a scraper keeps of an article page.

A dateline, a reading-time line, the title printed twice, the body's paragraphs with a figure
shown as the title repeated and a caption line, then the page's chrome (Connected Content,
Regions & Countries, Article Search, copyright, brand, mission line), none of which is
article text.
"""

from __future__ import annotations

import re

from geopol.articles.importers.base import ArticleData, FigureData, InputError
from geopol.core.timefmt import parse_dateline

READ_TIME_RE = re.compile(r"^\d+\s+mins?\s+read$", re.IGNORECASE)
CHROME_MARKERS = {
    "connected content",
    "regions & countries",
    "article search",
    "related content",
    "share",
    "subscribe",
}
MAX_CHROME_WORDS = 30  # the page's chrome is short lines; article paragraphs are not
MAX_CAPTION_WORDS = 15
MARKDOWN_START_RE = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s)")


def _blocks(text: str) -> list[tuple[int, str]]:
    """Paragraphs as (first line number, text with inner line breaks joined)."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, " ".join(current)))
            current = []
    if current:
        blocks.append((start, " ".join(current)))
    return blocks


def _is_chrome(block: str) -> bool:
    lowered = block.casefold()
    return lowered in CHROME_MARKERS or lowered.startswith(("copyright", "©"))


def _chrome_start(blocks: list[tuple[int, str]]) -> int:
    """Index where the trailing page chrome begins (len(blocks) when there is none)."""
    for index, (_, block) in enumerate(blocks):
        if _is_chrome(block) and all(len(b.split()) <= MAX_CHROME_WORDS for _, b in blocks[index:]):
            return index
    return len(blocks)


def _as_markdown(paragraph: str) -> str:
    paragraph = paragraph.replace("<", "&lt;")
    if MARKDOWN_START_RE.match(paragraph):
        paragraph = "\\" + paragraph
    return paragraph


def read_pagedump(text: str) -> list[ArticleData]:
    blocks = _blocks(text)
    if not blocks:
        raise InputError("the file is empty")
    first_line, first = blocks[0]
    try:
        published = parse_dateline(first)
    except ValueError as error:
        raise InputError(f"the first line must be the dateline: {error}", line=first_line) from None

    rest = blocks[1:]
    if rest and READ_TIME_RE.match(rest[0][1]):
        rest = rest[1:]
    if not rest:
        raise InputError("no title after the dateline", line=first_line + 1)
    title_line, title = rest[0]
    if len(title.split()) > 40:
        raise InputError("no title: the line after the dateline is a paragraph", line=title_line)
    rest = rest[1:]
    while rest and rest[0][1] == title:  # the scraper prints the title twice
        rest = rest[1:]

    rest = rest[: _chrome_start(rest)]
    paragraphs: list[str] = []
    figures: list[FigureData] = []
    index = 0
    while index < len(rest):
        _, block = rest[index]
        following = rest[index + 1][1] if index + 1 < len(rest) else ""
        if block == title and following and len(following.split()) <= MAX_CAPTION_WORDS:
            key = f"figure-{len(figures) + 1}"
            figures.append(FigureData(key=key, kind="map", caption=following))
            paragraphs.append("{{figure " + key + "}}")
            index += 2
            continue
        if block != title:
            paragraphs.append(_as_markdown(block))
        index += 1
    if not any(not p.startswith("{{figure") for p in paragraphs):
        raise InputError("the article has no body text after its title", line=title_line)
    return [
        ArticleData(
            title=title,
            published=published,
            body="\n\n".join(paragraphs) + "\n",
            figures=figures,
            line=1,
        )
    ]
