"""Article pages rendered once per article and kind of reader, kept in the cache every web
worker shares (settings.CACHES; see docs/performance.md).

A page is rendered without the request, for one article and one kind of reader: "full" or
"teaser" (may the reader read the text?) and signed in or not. Nothing about the reader
reaches that rendering: no user, session, CSRF token, messages or meter. What differs per
reader is left as holes (markers with a random nonce, so no article text can fake one) that
the view fills on every request: the bookmark button (with the reader's CSRF token), the
meter notice, the paywall's meter line, messages. Whether the reader may read the text is
decided on every request too (metered reads are counted there) and picks the variant.

Invalidation: a page's key carries tokens for what it shows, and a change replaces only the
tokens it touched, once its transaction commits (the change path's pages stage):

- the article's own token (`articles:pages:article:<pk>`, kept with its country codes);
- a token per country (`articles:pages:country:<code>`): Connected Content lists articles
  sharing a country, so a change to an article replaces the tokens of the countries it had
  and has, and the pages of articles in those countries render afresh;
- the listings token (`articles:pages:listings`): the home page, replaced by any change;
- one generation token for everything else (a country's, region's, author's, topic's,
  place's or actor's name shown on many pages; an article whose countries before the change
  are not known), which also carries the moment the next scheduled article falls due and is
  replaced then (it joins listings and Connected Content from that moment).

During a 2,000-article import, then, the pages of articles in other countries stay cached.
Pages of older tokens are never read again; the changed article's own are deleted, the
others expire after GEOPOL_PAGE_CACHE_SECONDS or are culled first (core.cache). Until a
transaction with such changes commits, the process that made them bypasses the cache. A
deploy that changes code, templates or the data maps are drawn from starts a new cache
namespace (the key prefix, settings.code_fingerprint, a hash of their content).

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
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from geopol.articles import changes
from geopol.articles.models import LISTED, Article, ArticleCountry
from geopol.core.replica import primary_reads

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


ARTICLE_KEY = "articles:pages:article:{}"  # (token, country codes)
COUNTRY_KEY = "articles:pages:country:{}"  # token
LISTINGS_KEY = "articles:pages:listings"  # token
VARIANTS = ("full:in", "full:out", "teaser:in", "teaser:out")


def _token() -> str:
    return secrets.token_hex(6)


def invalidate_pages(change: changes.ArticleChange) -> None:
    """The change path's pages stage (after the commit): replace the tokens of the changed
    articles and of the countries they had and have, and the listings token."""
    keys = {item.pk: ARTICLE_KEY.format(item.pk) for item in change.items}
    before = cache.get_many(list(keys.values()))
    now: dict[int, list[str]] = {pk: [] for pk in keys}
    for pk, code in (
        ArticleCountry.objects.filter(article_id__in=list(keys))
        .order_by("article_id", "position")
        .values_list("article_id", "country_id")
    ):
        now[pk].append(code)
    if any(keys[i.pk] not in before and not i.created for i in change.items):
        new_generation()  # what it showed before is not known: every page
    touched: set[str] = set()
    for item in change.items:
        old = before.get(keys[item.pk])
        if old is not None:
            touched.update(old[1])
            _forget_pages(item.pk, old)
        touched.update(now[item.pk])
    cache.set_many(
        {keys[i.pk]: (_token(), tuple(now[i.pk])) for i in change.items if not i.removed}, None
    )
    cache.delete_many([keys[i.pk] for i in change.items if i.removed])
    cache.set_many({COUNTRY_KEY.format(code): _token() for code in touched}, None)
    cache.set(LISTINGS_KEY, _token(), None)


def _forget_pages(pk: int, entry: tuple[str, tuple[str, ...]]) -> None:
    """Delete the changed article's own pages of the tokens being replaced."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        return
    countries = _country_tokens(entry[1])
    year = timezone.now().year
    cache.delete_many(
        [_page_key(value[0], entry[0], countries, year, pk, variant) for variant in VARIANTS]
    )


def changes_pending() -> bool:
    """True while this connection's transaction holds changes to what pages show (bypass the
    cache: its pages are of the state before)."""
    return _pending()


def country_token(code: str) -> str:
    """The token of a country's pages: replaced when an article that has or had it changes."""
    return _country_tokens((code,))


def _country_tokens(codes: tuple[str, ...]) -> str:
    keys = [COUNTRY_KEY.format(code) for code in codes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # first use, or evicted: any new token will do
            cache.add(key, _token(), None)
            found[key] = cache.get(key)
    return ".".join(str(found[key]) for key in keys)


def _article_entry(pk: int) -> tuple[str, tuple[str, ...]]:
    """The article's token and its country codes (read from the database when first used)."""
    key = ARTICLE_KEY.format(pk)
    entry = cache.get(key)
    if entry is None:
        codes = ArticleCountry.objects.filter(article_id=pk).order_by("position")
        fresh = (_token(), tuple(codes.values_list("country_id", flat=True)))
        # add, not set: a change committed meanwhile has written the newer entry
        entry = fresh if cache.add(key, fresh, None) else (cache.get(key) or fresh)
    return entry  # type: ignore[no-any-return]


def _page_key(generation: str, token: str, countries: str, year: int, pk: int, variant: str) -> str:
    # the year: the footer's copyright line
    return f"articles:page:{generation}:{token}:{countries}:{year}:{pk}:{variant}"


def listings_token() -> str:
    token = cache.get(LISTINGS_KEY)
    if token is None:
        cache.add(LISTINGS_KEY, _token(), None)
        token = cache.get(LISTINGS_KEY)
    return str(token)


def new_generation() -> str:
    now = timezone.now()
    # the next article to become visible (see visible_q)
    due = Article.objects.filter(status__in=LISTED, published_at__gt=now).aggregate(
        due=Min("published_at")
    )["due"]
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


class _Page(Protocol):
    @property
    def html(self) -> str: ...


class PageMemory:
    """The pages this process used last, least recently used out first beyond a size."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, Any] = OrderedDict()
        self._size = 0  # bytes the held pages' HTML takes
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: _Page, limit: int) -> None:
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
    if settings.GEOPOL_PAGE_CACHE_SECONDS <= 0 or _pending():
        return render(secrets.token_hex(8))
    variant = ("full" if readable else "teaser") + (":in" if signed_in else ":out")
    token, codes = _article_entry(article.pk)
    key = _page_key(
        current_generation(),
        token,
        _country_tokens(codes),
        timezone.now().year,
        article.pk,
        variant,
    )
    return _cached(key, render)


def home_page(variant: str, render: Callable[[str], PageWithHoles]) -> PageWithHoles:
    """The home page for one kind of reader (`variant`: what they may read, signed in or
    not): from the cache, or rendered and cached until any article changes."""
    if settings.GEOPOL_PAGE_CACHE_SECONDS <= 0 or _pending():
        return render(secrets.token_hex(8))
    # by the day: the home map shows the last 30 days, the footer the year
    day = timezone.now().date().isoformat()
    return _cached(
        f"articles:home:{current_generation()}:{listings_token()}:{day}:{variant}", render
    )


def _cached(key: str, render: Callable[[str], PageWithHoles]) -> PageWithHoles:
    limit = settings.GEOPOL_PAGE_MEMORY_MB * 1_000_000
    page = memory.get(key) if limit > 0 else None
    if page is None:
        page = cache.get(key)
        if page is None:
            # from the primary: a replica's older copy would be kept under the new key
            with primary_reads():
                page = render(secrets.token_hex(8))
            cache.set(key, page, settings.GEOPOL_PAGE_CACHE_SECONDS)
        if limit > 0:
            memory.put(key, page, limit)
    return page  # type: ignore[no-any-return]
