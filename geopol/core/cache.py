"""Cache backends shared by every web worker."""

from __future__ import annotations

import contextlib
import glob
import os
import pickle
import random
import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_CHECK_EVERY = 500  # sets, on average


class DirectoryCache(FileBasedCache):
    """Django's file-based cache, except in how it culls. It lists its directory on one write
    in CULL_CHECK_EVERY instead of on every write (with tens of thousands of entries, a page
    per article and access level, a listing costs more than rendering the page). And past
    MAX_ENTRIES it removes the stale first: expired entries, then the least recently written
    (pages of replaced tokens are never written again, pages in use are rewritten after
    each change), down to MAX_ENTRIES less a CULL_FREQUENCY share; Django's own cull removes
    a random share, as likely a page in use as a stale one."""

    _dir: str  # set by FileBasedCache.__init__ (the stubs leave it out)

    def _cull(self) -> None:
        if random.random() * CULL_CHECK_EVERY < 1:  # noqa: S311 - not for security
            self.cull_stale()

    def cull_stale(self) -> int:
        """Cull now if past MAX_ENTRIES; the number of entries removed."""
        files = glob.glob(os.path.join(self._dir, "*" + self.cache_suffix))
        if len(files) < self._max_entries:
            return 0
        if self._cull_frequency == 0:
            self.clear()
            return len(files)
        keep = self._max_entries - self._max_entries // self._cull_frequency
        live: list[tuple[float, str]] = []
        expired: list[str] = []
        now = time.time()
        for name in files:
            try:
                with open(name, "rb") as f:
                    # each file starts with its expiry (None: never), as FileBasedCache wrote it
                    expiry = pickle.load(f)  # noqa: S301 - our own files, as Django reads them
                modified = os.path.getmtime(name)
            except (OSError, EOFError, pickle.UnpicklingError):  # gone meanwhile, or torn
                continue
            if expiry is not None and expiry < now:
                expired.append(name)
            else:
                live.append((modified, name))
        live.sort()
        doomed = expired + [name for _, name in live[: max(0, len(live) - keep)]]
        for name in doomed:
            with contextlib.suppress(FileNotFoundError):
                os.remove(name)
        return len(doomed)
