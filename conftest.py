"""Shared by every test: each starts with an empty cache (the database is rolled back
between tests, so cached pages of its rows must go too)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
