"""What every reader produces, and the checks shared by front matter and JSON Lines."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from geopol.core.text import fold
from geopol.core.timefmt import parse_iso

if TYPE_CHECKING:
    from geopol.articles.importers.judgments import JudgmentData

TYPES = {"analysis", "assessment", "situation-report", "forecast", "column"}
TYPE_ALIASES = {
    "situation report": "situation-report",
    "sitrep": "situation-report",
    "situation_report": "situation-report",
}
ACCESS = {"public", "registered", "members"}
STATUSES = {"draft", "review", "scheduled", "published", "retracted"}
KNOWN_KEYS = {
    "title",
    "published",
    "type",
    "access",
    "teaser",
    "authors",
    "topics",
    "countries",
    "slug",
    "source_url",
    "status",
    "figures",
    "body",
    "judgments",
}
# Keys for other tools (gold labels of the evaluation sets, an editor's notes) start with this:
# the importer leaves them alone, so a misspelt key of ours can be refused instead of ignored.
EXTENSION_PREFIX = "x-"


# Column sizes of the articles tables (models.py): refused here with the field's name, since
# SQLite would store a longer value and PostgreSQL refuse it at the end of the file.
MAX_LENGTH = {
    "title": 300,
    "slug": 100,
    "source_url": 500,
    "authors": 120,
    "topics": 80,
    "countries": 2,
    "caption": 300,
    "src": 500,
    "alt": 300,
    "credit": 200,
    "id": 60,
}
# HTML elements nested deeper than this are refused before sanitizing: nh3 (html5ever) takes
# time quadratic in the depth (60,000 nested divs: 9 s), and no analysis needs 100 levels.
MAX_NESTING = 100
# Tags that never nest, or that the next sibling closes (an open <p> or <li> is not a level).
FLAT_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option"}
)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>")
# Characters that reorder or hide text (bidi overrides and isolates, zero-width ones): a title
# holding them reads differently from what it says.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


class InputError(ValueError):
    """Bad input in one file: the reason, and the line when known. `key`: the top-level key
    the error is about, so the reader can name that key's line."""

    def __init__(self, reason: str, line: int | None = None, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.key = key


@dataclass(frozen=True)
class InputWarning:
    """Input read, but not as written (an unquoted ': ' in a value): shown, never fatal."""

    reason: str
    line: int | None = None


@dataclass
class FigureData:
    key: str
    kind: str
    caption: str
    src: str = ""
    alt: str = ""
    credit: str = ""
    layers: dict[str, Any] | None = None


@dataclass
class ArticleData:
    title: str
    published: dt.datetime
    body: str
    type: str = "analysis"
    access: str = "public"
    status: str = "published"
    teaser: str = ""
    authors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    slug: str = ""
    source_url: str = ""
    figures: list[FigureData] = field(default_factory=list)
    # key judgments (importers/judgments.py); the forecasts app stores them
    judgments: list[JudgmentData] = field(default_factory=list)
    line: int | None = None  # where the article starts in its file
    # what the reader had to guess; not part of the article (services.data_hash leaves it out)
    warnings: list[InputWarning] = field(default_factory=list, compare=False)

    @property
    def source_key(self) -> str:
        """Stable identity: the source URL, else a hash of the folded title and the date."""
        if self.source_url:
            return "url:" + self.source_url.strip()
        basis = " ".join(fold(self.title).split()) + "|" + self.published.date().isoformat()
        return "hash:" + hashlib.sha256(basis.encode()).hexdigest()[:40]


def shown(value: Any, limit: int = 60) -> str:
    """A value quoted in an error message, cut short: an error is one readable line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _text(value: Any, key: str) -> str:
    """A text field: a string, or a number written bare ("title: 1984"); never a mapping, a
    list or NaN, which would be stored as Python's spelling of them."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"field {key!r} must be text, not a {type(value).__name__}", key=key)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"field {key!r} must be text, not {value!r}", key=key)
    text = INVISIBLE.sub("", str(value)).strip()
    limit = MAX_LENGTH.get(key)
    if limit is not None and len(text) > limit:
        raise InputError(
            f"field {key!r} is {len(text)} characters long, over the {limit} allowed; shorten it",
            key=key,
        )
    return text


def _string_list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"field {key!r} must be a list of strings", key=key)
    return [t for t in (_text(v, key) for v in value) if t]


def check_nesting(body: str) -> int | None:
    """The line (1-based, within `body`) where its HTML nests deeper than MAX_NESTING, else
    None. A linear scan, so a hostile body is refused before the sanitizer sees it."""
    depth = 0
    for match in TAG.finditer(body):
        closing, name, self_closing = match.groups()
        if name.lower() in FLAT_TAGS or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_NESTING:
            return body.count("\n", 0, match.start()) + 1
    return None


def _figures(value: Any) -> list[FigureData]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError("field 'figures' must be a list of {id, kind, caption} entries")
    figures = []
    keys: set[str] = set()
    for number, entry in enumerate(value, 1):
        if not isinstance(entry, dict) or not entry.get("caption"):
            raise InputError(f"figure {number} needs at least a caption")
        kind = str(entry.get("kind", "map"))
        if kind not in {"map", "image"}:
            raise InputError(f"figure {number}: kind must be 'map' or 'image', not {shown(kind)}")
        layers = entry.get("layers")
        if layers is not None and (
            not isinstance(layers, dict) or layers.get("type") != "FeatureCollection"
        ):
            raise InputError(
                f"figure {number}: 'layers' must be a GeoJSON FeatureCollection "
                '({"type": "FeatureCollection", "features": [...]})'
            )
        if layers is not None:
            from geopol.geo.maplayers import validate_layers

            problems = validate_layers(layers)
            if problems:
                raise InputError(f"figure {number} layers: {problems[0]}")
        try:
            texts = {k: _text(entry.get(k), k) for k in ("caption", "src", "alt", "credit", "id")}
        except InputError as error:
            raise InputError(f"figure {number}: {error.reason}") from None
        key = texts["id"] or f"figure-{number}"
        if key in keys:
            raise InputError(
                f"figure {number}: id {key!r} is used by another figure; "
                "give each figure its own id"
            )
        keys.add(key)
        figures.append(
            FigureData(
                key=key,
                kind=kind,
                caption=texts["caption"],
                src=texts["src"],
                alt=texts["alt"],
                credit=texts["credit"],
                layers=layers,
            )
        )
    return figures


def unknown_key_error(key: str, known: set[str], line: int | None) -> InputError:
    """The refusal of a key the format does not have, with the nearest known key: a misspelt
    `acess: members` ignored would publish members-only text as public."""
    lowered = key.lower() if isinstance(key, str) else str(key)
    near = [lowered] if lowered in known else difflib.get_close_matches(lowered, known, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    if near and near[0] == lowered:
        hint = f" (keys are lower case: did you mean {near[0]!r}?)"
    return InputError(
        f"unknown key {shown(key)}{hint}. The keys are {', '.join(sorted(known))}. A key "
        f"meant for another tool must start with {EXTENSION_PREFIX!r}. Nothing of this file "
        "was imported",
        line,
        key=str(key),
    )


def check_keys(meta: dict[Any, Any], known: set[str], lines: dict[str, int]) -> None:
    """Refuse the first key (in file order) that is neither known nor an extension key."""
    for key in meta:
        if isinstance(key, str) and (key in known or key.startswith(EXTENSION_PREFIX)):
            continue
        raise unknown_key_error(key, known, lines.get(str(key)))


def from_mapping(
    meta: dict[str, Any],
    body: str,
    line: int | None = None,
    body_line: int | None = None,
    *,
    key_lines: dict[str, int] | None = None,
    known: set[str] = KNOWN_KEYS,
    warnings: list[InputWarning] | None = None,
) -> ArticleData:
    """Check front matter or a JSON object against the shared keys (docs/formats.md).
    `line`: where the article starts; `body_line`: where its body starts (default `line`);
    `key_lines`: the line of each key, so an error names the line of the key it is about."""
    lines = key_lines or {}
    try:
        check_keys(meta, known, lines)
        article = _checked(meta, body, line, line if body_line is None else body_line)
    except InputError as error:
        at = error.line if error.line is not None else _line_of(error.key, lines, line)
        raise InputError(error.reason, at, key=error.key) from None
    article.warnings = list(warnings or [])
    return article


def _line_of(key: str | None, lines: dict[str, int], default: int | None) -> int | None:
    """The line of the top-level key an error is about ('judgments[2].likelihood' is about
    'judgments')."""
    top = re.split(r"[\[.]", key, maxsplit=1)[0] if key else ""
    return lines.get(top, default)


def _keyed(key: str, check: Any, *args: Any) -> Any:
    """`check(*args)`, its InputError marked as being about `key`."""
    try:
        return check(*args)
    except InputError as error:
        if error.key is None:
            error.key = key
        raise


def _checked(
    meta: dict[str, Any], body: str, line: int | None, body_line: int | None
) -> ArticleData:
    title = " ".join(_text(meta.get("title"), "title").split())
    if not title:
        raise InputError("no title: add a non-empty 'title' field", key="title")
    if "published" not in meta or meta["published"] in (None, ""):
        raise InputError("no publication date: add 'published' (ISO 8601)")
    try:
        published = parse_iso(meta["published"])
    except ValueError as error:
        raise InputError(f"field 'published': {error}", key="published") from None
    kind = _text(meta.get("type"), "type").lower() or "analysis"
    kind = TYPE_ALIASES.get(kind, kind)
    if kind not in TYPES:
        raise InputError(
            f"field 'type': {shown(kind)} is not one of {', '.join(sorted(TYPES))}", key="type"
        )
    access = _text(meta.get("access"), "access").lower() or "public"
    if access not in ACCESS:
        raise InputError(
            f"field 'access': {shown(access)} is not one of public, registered, members",
            key="access",
        )
    status = _text(meta.get("status"), "status").lower() or "published"
    if status not in STATUSES:
        raise InputError(
            f"field 'status': {shown(status)} is not one of {', '.join(sorted(STATUSES))}",
            key="status",
        )
    if not body.strip():
        raise InputError("the article has no body text")
    from geopol.articles.importers.judgments import parse_judgments  # it imports InputError

    deep = check_nesting(body)
    if deep is not None:
        at = None if body_line is None else body_line + deep - 1
        raise InputError(
            f"the body nests HTML elements more than {MAX_NESTING} deep; close or flatten "
            "them (nothing of this file was imported)",
            at,
        )
    return ArticleData(
        title=title,
        published=published,
        body=body.strip() + "\n",
        type=kind,
        access=access,
        status=status,
        teaser=_text(meta.get("teaser"), "teaser"),
        authors=_string_list(meta.get("authors"), "authors"),
        topics=_string_list(meta.get("topics"), "topics"),
        countries=[c.upper() for c in _string_list(meta.get("countries"), "countries")],
        slug=_text(meta.get("slug"), "slug"),
        source_url=_text(meta.get("source_url"), "source_url"),
        figures=_keyed("figures", _figures, meta.get("figures")),
        judgments=_keyed("judgments", parse_judgments, meta.get("judgments")),
        line=line,
    )
