"""How `actor:` in a search query finds its actor."""

import pytest

from geopol.extraction.search import resolve_actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["aqim", "AQIM", "al Qaeda in the Islamic Maghreb", "al-qaeda in the islamic maghreb"]
)
def test_an_actor_is_found_by_slug_name_or_acronym_in_any_case(typed):
    assert resolve_actor(typed) == [("aqim", "al Qaeda in the Islamic Maghreb")]


def test_an_unknown_actor_resolves_to_nothing():
    assert resolve_actor("Movement of Nobody") == []
    assert resolve_actor("  ") == []
