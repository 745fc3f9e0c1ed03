"""Shared by every test: each starts with an empty cache and no article page in this
process's memory (the database is rolled back between tests, so cached pages of its rows
must go too)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    from geopol.articles import pagecache

    cache.clear()
    pagecache.memory.clear()
    yield
