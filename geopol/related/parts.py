"""What this app draws into the articles app's pages (articles/parts.py): Connected Content,
per kind of reader (a hole of the cached page, filled on every request)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from geopol.articles import parts
from geopol.articles.models import Article
from geopol.related.services import related_for


def connected(context: Any, article: Article, reader: str) -> str:
    return render_to_string(
        "related/includes/connected.html", {"connected": related_for(article, reader=reader)}
    )


def register() -> None:
    parts.contribute("connected", connected)
