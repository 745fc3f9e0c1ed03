"""How `actor:` in a search query finds its actor."""

import pytest

from geopol.extraction.search import resolve_actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["aqim", "AQIM", "al Qaeda in the Islamic Maghreb", "al-qaeda in the islamic maghreb"]
)
def test_an_actor_is_found_by_slug_name_or_acronym_in_any_case(typed):
    assert resolve_actor(typed) == [("aqim", "al Qaeda in the Islamic Maghreb")]


@pytest.mark.parametrize(
    ("typed", "slug"),
    [("mod", "uk-mod"), ("tda", "tren-de-aragua"), ("eutm mozambique", "eumam-mozambique")],
)
def test_mixed_case_acronyms_are_found_in_any_case(typed, slug):
    assert [found for found, _ in resolve_actor(typed)] == [slug]


def test_a_name_shared_by_several_actors_without_its_qualifier_is_no_actor():
    # "National Assembly (France)", "(Mali)", ...: the bare name names none of them
    assert resolve_actor("National Assembly") == []


def test_an_unknown_actor_resolves_to_nothing():
    assert resolve_actor("Movement of Nobody") == []
    assert resolve_actor("  ") == []
