"""Article search on top of the search backend: visibility, access and presentation."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from geopol.articles.access import can_read, readable_tiers
from geopol.articles.models import Article
from geopol.search.backends import get_backend

TAG_RE = re.compile(r"</?mark>")


@dataclass
class ArticleHit:
    article: Article
    score: float
    title_html: str
    snippet: str  # HTML: escaped text with <mark> around matches

    @property
    def snippet_text(self) -> str:
        return html.unescape(TAG_RE.sub("", self.snippet))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.article.pk,
            "slug": self.article.slug,
            "url": self.article.get_absolute_url(),
            "title": self.article.title,
            "published": self.article.published_at.astimezone(dt.UTC)
            .isoformat()
            .replace("+00:00", "Z"),
            "snippet": self.snippet,
            "score": self.score,
        }


@dataclass
class ArticleSearchResults:
    query: str
    items: list[ArticleHit]
    total: int
    note: str = ""


def search_articles(
    query: str, *, user: Any = None, limit: int = 10, offset: int = 0
) -> ArticleSearchResults:
    """Published articles matching `query`, best first; snippets only from text `user` may read."""
    now = timezone.now()
    tiers = frozenset(str(t) for t in readable_tiers(user))
    results = get_backend().search(query, limit=limit, offset=offset, now=now, tiers=tiers)
    articles = Article.objects.published(now).in_bulk([h.id for h in results.hits])
    items = []
    for hit in results.hits:
        article = articles.get(hit.id)
        if article is None:  # retracted or unpublished since it was indexed
            continue
        readable = can_read(user, article)
        if readable and "<mark>" in hit.body_snippet:
            snippet = hit.body_snippet
        elif "<mark>" in hit.teaser_snippet or not readable:
            snippet = hit.teaser_snippet
        else:
            snippet = hit.body_snippet
        items.append(ArticleHit(article, hit.score, hit.title_html, snippet))
    return ArticleSearchResults(query=query, items=items, total=results.total, note=results.note)
