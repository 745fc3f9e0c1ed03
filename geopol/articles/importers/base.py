"""What every reader produces, and the checks shared by front matter and JSON Lines."""

from __future__ import annotations

import datetime as dt
import hashlib
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


class InputError(ValueError):
    """Bad input in one file: the reason, and the line when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


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

    @property
    def source_key(self) -> str:
        """Stable identity: the source URL, else a hash of the folded title and the date."""
        if self.source_url:
            return "url:" + self.source_url.strip()
        basis = " ".join(fold(self.title).split()) + "|" + self.published.date().isoformat()
        return "hash:" + hashlib.sha256(basis.encode()).hexdigest()[:40]


def _string_list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"field {key!r} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


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
            raise InputError(f"figure {number}: kind must be 'map' or 'image', not {kind!r}")
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
        key = str(entry.get("id") or f"figure-{number}")
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
                caption=str(entry["caption"]),
                src=str(entry.get("src", "")),
                alt=str(entry.get("alt", "")),
                credit=str(entry.get("credit", "")),
                layers=layers,
            )
        )
    return figures


def from_mapping(meta: dict[str, Any], body: str, line: int | None = None) -> ArticleData:
    """Check front matter or a JSON object against the shared keys (docs/formats.md)."""
    title = meta.get("title")
    if isinstance(title, int | float) and not isinstance(title, bool):
        title = str(title)  # "title: 1984" reads as a number in YAML
    if not isinstance(title, str) or not title.strip():
        raise InputError("no title: add a non-empty 'title' field", line)
    if "published" not in meta or meta["published"] in (None, ""):
        raise InputError("no publication date: add 'published' (ISO 8601)", line)
    try:
        published = parse_iso(meta["published"])
    except ValueError as error:
        raise InputError(f"field 'published': {error}", line) from None
    kind = str(meta.get("type") or "analysis").strip().lower()
    kind = TYPE_ALIASES.get(kind, kind)
    if kind not in TYPES:
        raise InputError(f"field 'type': {kind!r} is not one of {', '.join(sorted(TYPES))}", line)
    access = str(meta.get("access") or "public").strip().lower()
    if access not in ACCESS:
        raise InputError(
            f"field 'access': {access!r} is not one of public, registered, members", line
        )
    status = str(meta.get("status") or "published").strip().lower()
    if status not in STATUSES:
        raise InputError(
            f"field 'status': {status!r} is not one of {', '.join(sorted(STATUSES))}", line
        )
    if not body.strip():
        raise InputError("the article has no body text", line)
    from geopol.articles.importers.judgments import parse_judgments  # it imports InputError

    try:
        countries = [c.upper() for c in _string_list(meta.get("countries"), "countries")]
        data = ArticleData(
            title=" ".join(title.split()),
            published=published,
            body=body.strip() + "\n",
            type=kind,
            access=access,
            status=status,
            teaser=str(meta.get("teaser") or "").strip(),
            authors=_string_list(meta.get("authors"), "authors"),
            topics=_string_list(meta.get("topics"), "topics"),
            countries=countries,
            slug=str(meta.get("slug") or "").strip(),
            source_url=str(meta.get("source_url") or "").strip(),
            figures=_figures(meta.get("figures")),
            judgments=parse_judgments(meta.get("judgments")),
            line=line,
        )
    except InputError as error:
        raise InputError(error.reason, line) from None
    return data
