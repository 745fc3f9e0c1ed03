"""Cache backends shared by every web worker."""

from __future__ import annotations

import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_CHECK_EVERY = 500  # sets, on average


class DirectoryCache(FileBasedCache):
    """Django's file-based cache, except that it lists its directory to cull old entries on
    one write in CULL_CHECK_EVERY instead of on every write: with tens of thousands of entries
    (a page per article and access level) a listing costs more than rendering the page."""

    def _cull(self) -> None:
        if random.random() * CULL_CHECK_EVERY < 1:  # noqa: S311 - not for security
            super()._cull()  # type: ignore[misc]
