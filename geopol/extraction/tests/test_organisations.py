"""Organisations as an analyst writes them: a country's institutions named without the
country ("the Senate") or by it ("Georgia's parliament"), organisations the registry lacks
("the X Cell (XC)"), and the capitals that stand for governments ("Washington warned").
Every sentence here was written for this file."""

import pytest

from geopol.extraction.actors import ActorIndex, full_registry
from geopol.extraction.pipeline import extract
from geopol.geo.gazetteer import base_gazetteer


@pytest.fixture(scope="module")
def actors():
    return ActorIndex.build(list(full_registry()))


def read(text, actors, title=""):
    return extract(text, base_gazetteer(), actors, title=title)


def kinds(result):
    return {a.name: a.kind for a in result.actors if a.kind != "person"}


def test_a_bare_senate_is_the_one_of_the_country_the_text_is_about(actors):
    """The registry lists several senates; in a story about U.S. politics "the Senate" is
    the U.S. Senate, never France's."""
    result = read(
        "Democrats in Ohio and Pennsylvania hope to hold the Senate in November; the U.S. "
        "economy will decide it.",
        actors,
    )
    assert kinds(result).get("United States Senate") == "state-institution"
    assert "Senate (France)" not in kinds(result)


def test_a_bare_congress_in_a_story_about_chile_is_chile_s(actors):
    result = read(
        "In Santiago, Congress voted down the pension reform, and Chile's peso fell.", actors
    )
    assert "National Congress of Chile" in kinds(result)
    assert "United States Congress" not in kinds(result)


def test_no_other_country_s_senate_for_a_country_the_registry_has_none_for(actors):
    """A bare "Senate" in a story about Paraguay (the registry lists no Paraguayan senate)
    is no senate of the registry; written "Paraguay's Senate" it is Paraguay's, named after
    the country."""
    bare = read("In Asuncion, the Senate approved the budget that Paraguay needs.", actors)
    assert not [a for a in bare.actors if "Senate" in a.name]
    named = read("In Asuncion, Paraguay's Senate approved the budget.", actors)
    assert [(a.name, a.kind, a.countries) for a in named.actors] == [
        ("Senate (Paraguay)", "state-institution", ["PY"])
    ]


def test_party_members_go_to_the_party_of_the_country(actors):
    """ "the Socialists" of a Spanish story are Spain's PSOE, not France's Socialist Party."""
    result = read(
        "In Spain, the Socialists blamed the regional government of Valencia for the late "
        "flood warnings.",
        actors,
    )
    assert "Spanish Socialist Workers' Party" in kinds(result)
    assert "Socialist Party (France)" not in kinds(result)


def test_a_country_s_parliament_written_with_its_name(actors):
    """ "Georgia's parliament", "the Russian defence ministry": that country's institution."""
    result = read(
        "Protesters gathered in Tbilisi as Georgia's parliament passed the bill, and the "
        "Russian defence ministry praised it.",
        actors,
    )
    found = kinds(result)
    assert found.get("Parliament of Georgia") == "state-institution"
    assert "Russian Ministry of Defence" in found
    written = {a.name: a.aliases_in_text for a in result.actors}
    assert written["Parliament of Georgia"] == ["Georgia's parliament"]


def test_an_organisation_the_registry_lacks_is_found_with_its_acronym(actors):
    """A name ending in an organisation's head noun is an actor of its kind; the acronym the
    text defines for it names it later."""
    result = read(
        "In Port Moresby, the Highlands Unity Front (HUF) rejected the count. HUF leaders "
        "called a strike, and the Bougainville Veterans Militia joined them.",
        actors,
    )
    found = {a.name: a for a in result.actors}
    assert found["Highlands Unity Front"].kind == "political-movement"
    assert found["Highlands Unity Front"].aliases_in_text == ["Highlands Unity Front", "HUF"]
    assert found["Highlands Unity Front"].mentions == 3  # the name, "(HUF)" and "HUF"
    assert found["Bougainville Veterans Militia"].kind == "armed-group"


def test_descriptions_and_plans_are_no_organisations(actors):
    result = read(
        "The Armed Forces said the Special Forces had left. The Belt and Road Initiative (BRI) "
        "and the Gross Domestic Product (GDP) figures came later.",
        actors,
    )
    assert not [a for a in result.actors if a.id.startswith("text:")]


def test_the_longer_name_wins_over_an_article_led_one(actors):
    """ "the Islamic State Khorasan Province" is ISKP, not the Islamic State plus words."""
    result = read("A cell of the Islamic State Khorasan Province struck in Kabul.", actors)
    assert "Islamic State Khorasan Province" in kinds(result)
    assert "Islamic State" not in kinds(result)


@pytest.mark.parametrize(
    "text",
    [
        "Washington is reconsidering its aid to Tbilisi.",  # a sentence's first word
        "Protests drew statements from Baghdad, Washington, Ankara and Tehran.",  # far away
    ],
)
def test_a_capital_stands_for_its_government(actors, text):
    """Washington as a metonym, in a story that never names the United States: the U.S.
    capital, and a mention of the U.S."""
    result = read(text, actors)
    assert ("Washington", "US") in {(p.name, p.country) for p in result.places}
    assert "US" in {c.code for c in result.countries}


def test_a_title_in_title_case_makes_no_person_of_a_capital(actors):
    """A headline capitalises every word: "Deal Binds Canberra" is no person's name."""
    result = read(
        "Critics say the submarine deal gives up too much, but support in Canberra holds.",
        actors,
        title="Submarine Deal Binds Canberra To Decades Of Spending",
    )
    assert "Canberra" in {p.name for p in result.places}
