"""The site's absolute address, for links that leave the page (canonical and OpenGraph URLs,
private feeds, emails). `GEOPOL_SITE_URL` when it is set; otherwise the scheme and host of the
request being served (Django checks the host against GEOPOL_ALLOWED_HOSTS, so a forged Host
header is refused before it gets here). Work done without a request (the task worker's
emails) uses the last address a request came in on, which each web process records in the
shared cache; before any request, the development default with a warning in the log."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost

log = logging.getLogger(__name__)

CACHE_KEY = "geopol:last-site-url"
FALLBACK = "http://127.0.0.1:8000"
_remembered = ""  # what this process last wrote, to write only on a change


def configured() -> str:
    """GEOPOL_SITE_URL, without a trailing slash; empty when unset."""
    return getattr(settings, "GEOPOL_SITE_URL", "")


def from_request(request: Any) -> str:
    """The address `request` came in on, recorded for work done without a request."""
    global _remembered
    if fixed := configured():
        return fixed
    url = f"{request.scheme}://{request.get_host()}"
    if url != _remembered:
        cache.set(CACHE_KEY, url, None)
        _remembered = url
    return url


def site_url(request: Any = None) -> str:
    """The site's base URL (no trailing slash): configured, else the request's, else the last
    one a request came in on, else the development default (and a warning)."""
    if fixed := configured():
        return fixed
    if request is not None:
        return from_request(request)
    if last := cache.get(CACHE_KEY):
        return str(last)
    log.warning(
        "GEOPOL_SITE_URL is not set and no page has been served yet: links in this email "
        "use %s. Set GEOPOL_SITE_URL to the site's public address.",
        FALLBACK,
    )
    return FALLBACK


class RememberSiteURL:
    """Middleware: records the address each request came in on (when GEOPOL_SITE_URL is
    unset), so that emails sent by the worker link to where readers reach the site."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if not configured():
            with contextlib.suppress(DisallowedHost):  # Django answers 400 itself
                from_request(request)
        return self.get_response(request)
