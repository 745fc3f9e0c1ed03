"""The directory cache culls stale entries first (issue 15.7: replaced pages piled up)."""

import os
import time
from unittest import mock

from geopol.core import cache as core_cache
from geopol.core.cache import DirectoryCache


def test_culling_removes_expired_then_oldest_entries_and_keeps_pages_in_use(tmp_path):
    cache = DirectoryCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 90, "CULL_FREQUENCY": 3}})
    with mock.patch.object(core_cache, "CULL_CHECK_EVERY", 10**9):  # no cull while filling
        for n in range(40):
            cache.set(f"expired-{n}", "old page", 0.01)
        for n in range(40):
            cache.set(f"older-{n}", "page", 3600)
        hour_ago = time.time() - 3600
        for n in range(40):
            path = cache._key_to_file(f"older-{n}")
            os.utime(path, (hour_ago, hour_ago))
        for n in range(20):
            cache.set(f"fresh-{n}", "page", 3600)
    time.sleep(0.05)
    with mock.patch.object(core_cache, "CULL_CHECK_EVERY", 1):  # this write checks
        cache.set("fresh-20", "page", 3600)
    assert all(cache.get(f"fresh-{n}") == "page" for n in range(21))
    assert all(cache.get(f"older-{n}") == "page" for n in range(40))
    assert not any(cache.has_key(f"expired-{n}") for n in range(40))

    with mock.patch.object(core_cache, "CULL_CHECK_EVERY", 10**9):  # past the limit again
        for n in range(40):
            cache.set(f"new-{n}", "page", 3600)
    with mock.patch.object(core_cache, "CULL_CHECK_EVERY", 1):
        cache.set("last", "page", 3600)
    # the least recently written go first: the hour-old ones, never the newest
    assert cache.get("last") == "page"
    assert all(cache.get(f"new-{n}") == "page" for n in range(40))
    assert sum(cache.has_key(f"older-{n}") for n in range(40)) < 40
