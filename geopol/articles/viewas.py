"""The editor's "view as" switch: an editor previews a page as an anonymous reader, a free
account or a member would see it, without signing out. A small helper any staff view can use
(the article preview does): `chosen(request)` reads `?as=`, `readable_as(article, kind)` says
whether that reader reads the text, `links(request, kind)` draws the switch
(`includes/view_as.html`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from geopol.articles.access import TIERS_BY_READER

CHOICES = [
    ("", "Editor"),
    ("anonymous", "Anonymous"),
    ("registered", "Free account"),
    ("member", "Member"),
]


def chosen(request: HttpRequest) -> str:
    """The reader kind asked for with `?as=` ('' for the editor's own view)."""
    value = request.GET.get("as", "")
    return value if value in TIERS_BY_READER else ""


def readable_as(article: Any, kind: str) -> bool:
    """Whether a reader of `kind` reads `article` in full ('' is the editor: always)."""
    return not kind or article.access in TIERS_BY_READER[kind]


@dataclass(frozen=True)
class Reader:
    """Stands in for the reader in templates: signed in or not, nothing else (a shared,
    cached page is rendered for one, and so is a page viewed as another kind of reader)."""

    is_authenticated: bool


def reader_as(kind: str, user: Any) -> Any:
    return Reader(is_authenticated=kind != "anonymous") if kind else user


def links(request: HttpRequest, kind: str) -> list[dict[str, Any]]:
    """The switch's links: the same page with each `as=`, the current one marked."""
    rest = {k: v for k, v in request.GET.items() if k != "as"}
    out = []
    for value, label in CHOICES:
        query = urlencode({**rest, **({"as": value} if value else {})})
        out.append(
            {
                "label": label,
                "url": f"{request.path}?{query}" if query else request.path,
                "current": value == kind,
            }
        )
    return out
