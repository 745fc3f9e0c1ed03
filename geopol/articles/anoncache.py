"""Whole responses for readers not signed in, cached like the article pages (pagecache): the
country pages, searches and the API's lists are the same for every such reader, and cost
12-35 ms of CPU to make (18 queries for a country page) where a cached answer costs about
one. `make bench-load` (docs/performance.md) had them time out under 128 connections.

Only a reader with no session and no message waiting is served from here: nothing of theirs
is in the page (no CSRF token, no follow state, no name), and anyone else gets the page made
for them. The key carries the tokens of what the response shows (`scope`: pagecache's
listings token, or a country's token), the day (dates, coverage charts, the footer's year),
the host (absolute links) and the full path; only 200 answers are kept.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from geopol.articles import pagecache
from geopol.core.replica import primary_reads


@dataclass(frozen=True)
class WholeResponse:
    html: str  # the body (named as pagecache.memory measures pages)
    content_type: str


def for_anyone(request: HttpRequest) -> bool:
    """True when nothing of the reader's own can be in the response."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated  # an API key, or a header a proxy signs in with
    )


def listings_scope() -> str:
    """Changes whenever any article changes (searches and lists)."""
    return f"{pagecache.current_generation()}:{pagecache.listings_token()}"


def country_scope(code: str) -> str:
    """Changes whenever an article that has or had this country changes."""
    return f"{pagecache.current_generation()}:{pagecache.country_token(code)}"


def response(request: HttpRequest, scope: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """`render()`'s response, from the cache for a reader with nothing of their own."""
    if (
        settings.GEOPOL_PAGE_CACHE_SECONDS <= 0
        or not for_anyone(request)
        or pagecache.changes_pending()
    ):
        return render()
    where = f"{request.get_host()} {request.get_full_path()}".encode()
    day = timezone.now().date().isoformat()
    key = f"articles:anonymous:{scope}:{day}:{hashlib.sha1(where).hexdigest()}"  # noqa: S324
    limit = settings.GEOPOL_PAGE_MEMORY_MB * 1_000_000
    page = pagecache.memory.get(key) if limit > 0 else None
    if page is None:
        page = cache.get(key)
    if page is None:
        with primary_reads():  # a replica's older copy would be kept under the new key
            made = render()
        if made.status_code != 200 or made.streaming:
            return made
        page = WholeResponse(made.content.decode(), made["Content-Type"])
        cache.set(key, page, settings.GEOPOL_PAGE_CACHE_SECONDS)
    if limit > 0:
        pagecache.memory.put(key, page, limit)
    return HttpResponse(page.html, content_type=page.content_type)


def cached_view(scope: Callable[[], str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: `response` around the whole view (for django-ninja, through
    `ninja.decorators.decorate_view`, so the cached body is the validated, rendered JSON)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            return response(request, scope(), lambda: view(request, *args, **kwargs))

        return run

    return decorate
