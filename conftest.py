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


@pytest.fixture(autouse=True)
def _countries_after_a_flush(request):
    """A transactional test ends by flushing the database, the regions and countries that a
    migration loaded included; the next transactional test gets them back (the others run
    first, as pytest-django orders them)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        yield
        return
    request.getfixturevalue("transactional_db")
    from geopol.geo.loaders import sync_regions_and_countries
    from geopol.geo.models import Country, Region

    if not Country.objects.exists():
        from geopol.articles import search

        sync_regions_and_countries(Region, Country)
        for memo in (search._region_slugs, search._country_lookup, search._country_names):
            memo.cache_clear()  # they hold the rows' ids of before the flush
    yield
