"""Article pages rendered once per article and kind of reader, kept in the cache every web
worker shares (settings.CACHES; see docs/performance.md).

A page is rendered without the request, for one article and one kind of reader: "full" or
"teaser" (may the reader read the text?) and signed in or not. Nothing about the reader
reaches that rendering: no user, session, CSRF token, messages or meter. What differs per
reader is left as holes (markers with a random nonce, so no article text can fake one) that
the view fills on every request: the bookmark button (with the reader's CSRF token), the
meter notice, the paywall's meter line, messages. Whether the reader may read the text is
decided on every request too (metered reads are counted there) and picks the variant.

Invalidation: one generation token for every article page. Any change to what a page shows
(an article, its tags, figures, authors, topics, the geoparser's places and actors, regions,
countries) replaces the token once its transaction commits, so the next request of each page
renders it afresh; the token also carries the moment the next scheduled article falls due,
and is replaced then (Connected Content lists it from that moment). Pages of older tokens
are never read again and expire after GEOPOL_PAGE_CACHE_SECONDS. Until a transaction with
such changes commits, the process that made them bypasses the cache. A code change starts a
new cache namespace (the key prefix, settings.code_fingerprint).

In front of the shared cache, each process keeps the pages it served lately in memory (up to
GEOPOL_PAGE_MEMORY_MB): a page never changes under its key, which carries the generation, so
a copy is good for exactly as long as the shared one; reading it saves the shared cache's
file read, zlib and unpickling (~0.18 ms of a ~1 ms page). The generation token itself is
still read from the shared cache on every request, so an edit reaches every process at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from geopol.articles import changes
from geopol.articles.models import Article, Status

GENERATION_KEY = "articles:pages:generation"


class _Invalidation:
    """An on_commit callback that remembers whether it ran (see _pending)."""

    done = False

    def __call__(self) -> None:
        self.done = True
        new_generation()


def _pending() -> bool:
    """True while this connection's transaction holds changes to what pages show."""
    connection = transaction.get_connection()
    return changes.pending(invalidate_pages) or any(
        isinstance(callback, _Invalidation) and not callback.done
        for _, callback, _ in connection.run_on_commit
    )


def pages_changed(**kwargs: Any) -> None:
    """Every article page may be out of date once the current transaction commits (at once
    outside a transaction). A signal receiver, and a hook for writes that send no signal."""
    if not _pending():
        transaction.on_commit(_Invalidation())


def invalidate_pages(change: changes.ArticleChange) -> None:
    """The change path's pages stage (after the commit): the pages showing what changed."""
    new_generation()


def new_generation() -> str:
    now = timezone.now()
    due = Article.objects.filter(
        status__in=[Status.PUBLISHED, Status.SCHEDULED], published_at__gt=now
    ).aggregate(due=Min("published_at"))["due"]
    token = secrets.token_hex(6)
    cache.set(GENERATION_KEY, (token, due), None)
    return token


def current_generation(now: dt.datetime | None = None) -> str:
    value = cache.get(GENERATION_KEY)
    if value is not None:
        token, due = value
        if due is None or (now or timezone.now()) < due:
            return str(token)
    return new_generation()  # first use, evicted, or a scheduled article just fell due


@dataclass(frozen=True)
class PageWithHoles:
    """A rendered page with a marker where each per-reader part goes."""

    html: str
    nonce: str

    @staticmethod
    def holes(nonce: str, names: tuple[str, ...]) -> dict[str, SafeString]:
        return {name: mark_safe(f"<!--hole:{name}:{nonce}-->") for name in names}

    def fill(self, parts: dict[str, str]) -> str:
        html = self.html
        for name, marker in self.holes(self.nonce, tuple(parts)).items():
            html = html.replace(marker, parts[name])
        return html


class PageMemory:
    """The pages this process used last, least recently used out first beyond a size."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, PageWithHoles] = OrderedDict()
        self._size = 0  # bytes the held pages' HTML takes
        self._lock = threading.Lock()

    def get(self, key: str) -> PageWithHoles | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: PageWithHoles, limit: int) -> None:
        size = sys.getsizeof(page.html)  # bytes held: 2 or 4 per character beyond Latin-1
        with self._lock:
            if key in self._pages or size > limit:
                return
            self._pages[key] = page
            self._size += size
            while self._size > limit:
                _, old = self._pages.popitem(last=False)
                self._size -= sys.getsizeof(old.html)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0


memory = PageMemory()


def article_page(
    article: Article, readable: bool, signed_in: bool, render: Callable[[str], PageWithHoles]
) -> PageWithHoles:
    """`article`'s page for readers who may (`readable`) or may not read it, signed in or
    not: from the cache, or `render(nonce)`ed and cached."""
    timeout = settings.GEOPOL_PAGE_CACHE_SECONDS
    if timeout <= 0 or _pending():
        return render(secrets.token_hex(8))
    variant = ("full" if readable else "teaser") + (":in" if signed_in else ":out")
    # the year: the footer's copyright line
    key = f"articles:page:{current_generation()}:{timezone.now().year}:{article.pk}:{variant}"
    limit = settings.GEOPOL_PAGE_MEMORY_MB * 1_000_000
    page = memory.get(key) if limit > 0 else None
    if page is None:
        page = cache.get(key)
        if page is None:
            page = render(secrets.token_hex(8))
            cache.set(key, page, timeout)
        if limit > 0:
            memory.put(key, page, limit)
    return page  # type: ignore[no-any-return]
