"""Local news: a town's name that a metropolis elsewhere shares, read from the places the
story names around it. Texts written for this project, against the real gazetteer."""

import pytest

from geopol.extraction.actors import ActorIndex
from geopol.extraction.pipeline import extract
from geopol.geo.gazetteer import base_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return base_gazetteer()


@pytest.fixture(scope="module")
def actors():
    return ActorIndex.build([])


def places_of(text, gazetteer, actors):
    result = extract(text, gazetteer, actors)
    return {p.name: p for p in result.places}, {c.code for c in result.countries}


@pytest.mark.parametrize(
    ("text", "country", "near"),
    [
        # the north London district among its neighbours, not Alberta's capital
        (
            "Firefighters were called to a house in Edmonton on Monday night. Crews from "
            "Tottenham and Walthamstow helped put out the blaze.",
            "GB",
            (51.6, -0.06),
        ),
        # the Queensland town, in a story that names the towns south of it
        (
            "Police searched Edmonton overnight after a car was stolen from a driveway. "
            "The driver was later seen heading south towards Ingham and Townsville.",
            "AU",
            (-17.0, 145.7),
        ),
    ],
)
def test_a_local_town_is_not_the_metropolis_of_a_country_the_story_never_names(
    text, country, near, gazetteer, actors
):
    places, countries = places_of(text, gazetteer, actors)
    edmonton = places["Edmonton"]
    assert edmonton.country == country
    assert abs(edmonton.lat - near[0]) < 0.3 and abs(edmonton.lon - near[1]) < 0.3
    assert "CA" not in countries  # Canada is no country of the story


def test_the_metropolis_stays_when_the_story_names_its_country(gazetteer, actors):
    places, countries = places_of(
        "The Canadian team flew home to Edmonton after a week in Tottenham and Walthamstow.",
        gazetteer,
        actors,
    )
    assert places["Edmonton"].country == "CA"
    assert {"CA", "GB"} <= countries


def test_a_demonym_naming_people_still_counts_for_its_country(gazetteer, actors):
    """ "Americans" names the people (no toponym), "American officials" the country by its
    adjective; both count for the United States."""
    result = extract(
        "Americans voted on Tuesday, and American officials said turnout was high.",
        gazetteer,
        actors,
    )
    forms = [(m.text, m.form) for m in result.mentions if m.kind == "country"]
    assert forms == [("Americans", "people"), ("American", "demonym")]
    assert [(c.code, c.mentions) for c in result.countries] == [("US", 2)]


@pytest.mark.parametrize(
    ("text", "near"),
    [
        (
            "COLUMBIA, Ky. - Two people were hurt in a crash in Adair County on Sunday.",
            (37.1, -85.3),
        ),
        ("Floodwater closed schools across Monroe County, Missouri, on Friday.", (39.7, -91.7)),
    ],
)
def test_a_county_many_states_share_is_the_one_in_the_state_named(text, near, gazetteer, actors):
    places, _ = places_of(text, gazetteer, actors)
    county = next(p for name, p in places.items() if name.endswith("County"))
    assert abs(county.lat - near[0]) < 0.3 and abs(county.lon - near[1]) < 0.3


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_a_name_after_an_elided_article_is_read(apostrophe, gazetteer, actors):
    text = f"Troops from Côte d{apostrophe}Ivoire joined the mission in Mali."
    _, countries = places_of(text, gazetteer, actors)
    assert {"CI", "ML"} <= countries


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        (
            "Washington and Damascus traded accusations over the chemical attack.",
            "Damascus",
            "SY",
        ),
        (
            "Negotiators from Tehran and Washington met in Muscat. Vienna will host the "
            "next round.",
            "Vienna",
            "AT",
        ),
        (
            "A bomb tore through a Coptic church in Alexandria on Sunday. Officials in "
            "Washington condemned the attack.",
            "Alexandria",
            "EG",
        ),
    ],
)
def test_a_capital_named_for_its_government_places_nothing_near_it(
    text, name, country, gazetteer, actors
):
    """'Washington' here is the U.S. government, not a place whose suburbs (Damascus and
    Vienna in Maryland and Virginia) the other cities of the story would be."""
    places, _ = places_of(text, gazetteer, actors)
    assert places[name].country == country
