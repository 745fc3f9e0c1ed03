"""Markdown bodies to safe HTML. Pure functions: no database.

Editors and importers write Markdown (raw HTML allowed); what reaches a page has passed
through nh3 (the ammonia sanitizer) with an allow-list: no script, no event handlers, no
javascript: URLs, no style. Figures are placed after sanitizing, from escaped values.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

FIGURE_RE = re.compile(r"^\s*\{\{\s*figure\s+([\w-]+)\s*\}\}\s*$", re.MULTILINE)
FIGURE_P_RE = re.compile(r"<p>\s*\{\{\s*figure\s+([\w-]+)\s*\}\}\s*</p>")

_markdown = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]
)


@dataclass(frozen=True)
class FigureView:
    key: str
    kind: str
    caption: str
    src: str = ""
    alt: str = ""
    credit: str = ""


def sanitize_html(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """Markdown (with inline HTML) -> sanitized HTML. Headings start at h2: the title is h1."""
    markup = _markdown.render(source)
    markup = re.sub(r"<(/?)h1\b", r"<\1h2", markup)
    return sanitize_html(markup)


def figure_html(figure: FigureView) -> str:
    e = html.escape
    parts = [f'<figure class="figure figure-{e(figure.kind)}" id="figure-{e(figure.key)}">']
    if figure.kind == "image" and figure.src and _safe_src(figure.src):
        parts.append(
            f'<img src="{e(figure.src)}" alt="{e(figure.alt or figure.caption)}" loading="lazy">'
        )
    elif figure.kind == "map":
        parts.append(
            '<div class="figure-map-canvas" role="img" aria-label="Map in preparation: '
            f'{e(figure.caption)}"><span class="figure-map-label">Map</span></div>'
        )
    parts.append(f"<figcaption>{e(figure.caption)}")
    if figure.credit:
        parts.append(f' <span class="credit">{e(figure.credit)}</span>')
    parts.append("</figcaption></figure>")
    return "".join(parts)


# the canvas figure_html leaves in a map figure, for an app above to draw (articles.parts)
MAP_CANVAS_RE = re.compile(
    r'(<figure class="figure figure-map" id="figure-([\w-]+)">)'
    r'<div class="figure-map-canvas"[^>]*>.*?</div>',
    re.S,
)


def replace_figure_canvases(
    body_html: str,
    replace: Callable[[str], tuple[str, tuple[tuple[str, str], ...]] | None],
) -> str:
    """`body_html` with each map figure's canvas replaced: `replace(key)` gives the HTML
    and the attributes to add to the <figure> element, or None to keep the canvas."""

    def draw(match: re.Match[str]) -> str:
        drawn = replace(match.group(2))
        if drawn is None:
            return match.group(0)
        inner, attributes = drawn
        added = "".join(f'{name}="{html.escape(value)}" ' for name, value in attributes)
        return match.group(1).replace("<figure ", f"<figure {added}", 1) + inner

    return MAP_CANVAS_RE.sub(draw, body_html)


def _safe_src(src: str) -> bool:
    return src.startswith(("/", "https://", "http://")) and not src.startswith("//")


def render_body(source: str, figures: list[FigureView]) -> str:
    """The full body HTML: Markdown rendered, sanitized, figures in place or at the end."""
    return render_body_and_text(source, figures)[0]


def render_body_and_text(source: str, figures: list[FigureView]) -> tuple[str, str]:
    """The body HTML and its plain text, from one Markdown parse."""
    markup = render_markdown(source)
    text = html_to_text(FIGURE_P_RE.sub("", markup))
    by_key = {f.key: f for f in figures}
    placed: set[str] = set()

    def place(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in by_key and key not in placed:
            placed.add(key)
            return figure_html(by_key[key])
        return ""  # a placeholder for a figure that does not exist shows nothing

    markup = FIGURE_P_RE.sub(place, markup)
    rest = [figure_html(f) for f in figures if f.key not in placed]
    return markup + "".join(rest), text


def html_to_text(markup: str) -> str:
    """Text of sanitized body HTML, one blank line between blocks."""
    markup = re.sub(r"</(p|h\d|li|blockquote|pre|tr|table)>", r"</\1>\n\n", markup)
    text = nh3.clean(markup, tags=set(), strip_comments=True)
    text = re.sub(r"[ \t]+", " ", html.unescape(text))
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def plain_text(source: str) -> str:
    """The readable text of a Markdown body: for word counts, teasers and the search index."""
    return html_to_text(_markdown.render(FIGURE_RE.sub("", source)))


# the figures render_body_and_text placed: their captions are not the body's text
PLACED_FIGURE_RE = re.compile(
    r'<figure class="figure figure-[\w-]+" id="figure-[\w-]+">.*?</figure>', re.DOTALL
)


def plain_text_of_html(body_html: str) -> str:
    """The text `render_body_and_text` gave when the body HTML was rendered (figures left
    out), from the stored HTML: a full reindex reads it for every article without parsing
    the Markdown again."""
    return html_to_text(PLACED_FIGURE_RE.sub("", body_html))


def first_paragraph(source: str, limit: int = 400) -> str:
    """A teaser from the body: its first paragraph of prose, cut at a sentence if too long."""
    return first_paragraph_of_text(plain_text(source), limit)


def first_paragraph_of_text(text: str, limit: int = 400) -> str:
    for block in text.split("\n\n"):
        block = " ".join(block.split())
        if len(block.split()) >= 8:
            break
    else:
        block = " ".join(text.split())
    if len(block) <= limit:
        return block
    cut = block[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: sentence_end + 1] if sentence_end > limit // 3 else cut.rsplit(" ", 1)[0] + "…"
