"""Search backends, configured in settings.SEARCH_BACKENDS like DATABASES."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from geopol.search.backends.base import Document, Hit, SearchBackend, SearchResults

__all__ = ["Document", "Hit", "SearchBackend", "SearchResults", "get_backend"]


@cache
def get_backend(alias: str = "default") -> SearchBackend:
    try:
        config = dict(settings.SEARCH_BACKENDS[alias])
    except KeyError:
        raise ImproperlyConfigured(
            f"SEARCH_BACKENDS has no {alias!r} entry; add one to geopol/settings.py"
        ) from None
    backend_class = import_string(config.pop("BACKEND"))
    backend: SearchBackend = backend_class(alias=alias, **config)
    return backend
