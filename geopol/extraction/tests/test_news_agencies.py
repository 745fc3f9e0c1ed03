"""Names in the actor registry that are also towns: what the text means is the actor."""

import pytest

from geopol.extraction.actors import ActorIndex, full_registry
from geopol.extraction.pipeline import extract
from geopol.geo.gazetteer import base_gazetteer


@pytest.fixture(scope="module")
def actors():
    return ActorIndex.build(list(full_registry()))


def test_a_news_agency_named_like_a_town_is_the_agency(actors):
    """ "Xinhua reported": China's news agency, not Xinhua county in Hunan."""
    result = extract(
        "Floods cut roads in Guangxi on Monday, Xinhua reported, and Xinhua said 40 were missing.",
        base_gazetteer(),
        actors,
    )
    assert "xinhua" in {a.id for a in result.actors}
    assert "Xinhua" not in [p.name for p in result.places]


def test_sudan_s_professionals_association_is_no_press_agency(actors):
    result = extract(
        "The Sudanese Professionals Association (SPA) called a strike in Khartoum.",
        base_gazetteer(),
        actors,
    )
    assert "spa-saudi" not in {a.id for a in result.actors}
