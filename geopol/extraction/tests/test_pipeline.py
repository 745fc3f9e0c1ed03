"""The geoparser on text we wrote, against the real gazetteer and a small registry."""

import pytest

from geopol.extraction.actors import ActorDef, ActorIndex
from geopol.extraction.pipeline import extract, name_tokens
from geopol.geo.gazetteer import PlaceRecord, base_gazetteer, fold_name


@pytest.fixture(scope="module")
def gazetteer():
    return base_gazetteer()


@pytest.fixture(scope="module")
def actors():
    return ActorIndex.build(
        [
            ActorDef(
                "aqim",
                "al Qaeda in the Islamic Maghreb",
                "armed-group",
                ("al-Qaeda in the Islamic Maghreb",),
                ("AQIM",),
                "DZ",
                ("DZ", "ML"),
            ),
            ActorDef(
                "ansar-dine", "Ansar Dine", "armed-group", ("Ansar al-Din",), (), "ML", ("ML",)
            ),
            ActorDef(
                "ecowas",
                "Economic Community of West African States",
                "igo",
                (),
                ("ECOWAS",),
                None,
                ("NG", "SN"),
            ),
            ActorDef("au", "African Union", "igo", (), ("AU",), None, ("ET",)),
        ]
    )


def run(text, gazetteer, actors, **kwargs):
    return extract(text, gazetteer, actors, **kwargs)


def test_tokens_keep_offsets_and_drop_possessives():
    text = "Mali's army entered Konna; the U.S. watched the Strait of Hormuz."
    found, run = name_tokens(text)
    # only name-shaped runs (particles may lead one: "al Qaeda"), possessives dropped
    assert [t.text for t in found] == [
        "Mali",
        "Konna",
        "the",
        "U.S.",
        "the",
        "Strait",
        "of",
        "Hormuz",
    ]
    assert run == [1, 1, 2, 1, 4, 3, 2, 1]
    assert text[found[0].start : found[0].end] == "Mali"


def test_fold_name():
    assert fold_name("Sévaré") == "sevare"
    assert fold_name("al-Shabaab") == fold_name("al Shabaab") == "al shabaab"


def test_countries_places_and_actors(gazetteer, actors):
    result = run(
        "Fighters of al Qaeda in the Islamic Maghreb (AQIM) and Ansar al-Din advanced on "
        "Timbuktu and Bamako. Mali asked ECOWAS and the AU for help.",
        gazetteer,
        actors,
    )
    assert [c.code for c in result.countries if c.primary] == ["ML"]
    places = {p.canonical: p for p in result.places}
    assert set(places) >= {"Timbuktu", "Bamako"}
    assert places["Bamako"].country == "ML"
    assert abs(places["Bamako"].lat - 12.65) < 0.2
    actor_ids = {a.id: a for a in result.actors}
    assert set(actor_ids) == {"aqim", "ansar-dine", "ecowas", "au"}
    assert actor_ids["aqim"].aliases_in_text == ["al Qaeda in the Islamic Maghreb", "AQIM"]


def test_tripoli_follows_the_country_context(gazetteer, actors):
    libya = run(
        "Militias clashed in Tripoli as Libya's rival governments traded blame.", gazetteer, actors
    )
    lebanon = run(
        "Protesters filled the streets of Tripoli, Lebanon's second city.", gazetteer, actors
    )
    assert [p.country for p in libya.places if p.canonical.startswith("Tripoli")] == ["LY"]
    assert [p.country for p in lebanon.places if p.canonical.startswith("Tripoli")] == ["LB"]


def test_georgia_state_or_country(gazetteer, actors):
    country = run(
        "Georgia's ruling party pushed the law through parliament in Tbilisi.", gazetteer, actors
    )
    assert "GE" in [c.code for c in country.countries if c.primary]
    state = run(
        "Voters in Atlanta and across Georgia decided the United States Senate race.",
        gazetteer,
        actors,
    )
    assert "GE" not in [c.code for c in state.countries]
    assert "US" in [c.code for c in state.countries if c.primary]


def test_common_words_and_first_names_are_not_places(gazetteer, actors):
    result = run(
        "Nice weather helped the harvest. Reading the reports, Chad Wolf said most male "
        "voters stayed home. Jordan Bardella spoke in Paris.",
        gazetteer,
        actors,
    )
    codes = [c.code for c in result.countries]
    assert "TD" not in codes and "JO" not in codes
    names = [p.canonical for p in result.places]
    assert "Nice" not in names and "Reading" not in names and "Male" not in names
    assert "Paris" in names


def test_admin1_region(gazetteer, actors):
    result = run("Troops reinforced positions across the Mopti region of Mali.", gazetteer, actors)
    [region] = [p for p in result.places if p.canonical == "Mopti"]
    assert region.kind == "region" and region.country == "ML"


def test_title_weighs_for_primacy(gazetteer, actors):
    result = run(
        "Officials in Paris and Berlin discussed the talks.",
        gazetteer,
        actors,
        title="Niger: The junta digs in",
    )
    assert next(c.code for c in result.countries if c.primary) == "NE"


def test_the_country_of_the_lead_and_all_along_is_primary_over_a_passing_topic(gazetteer, actors):
    """A Lithuanian story with one passage about the war: Lithuania, named in the lead and
    at the end, is primary; Russia, named only in that passage, is not."""
    text = (
        "Lithuania will raise its defence budget next year, the government in Vilnius said on "
        "Tuesday. Ministers met to agree the plan. "
        "The decision follows the war in Ukraine. Russia has attacked Ukraine for three years, "
        "Russia's army holds land in eastern Ukraine, and Ukraine asks for air defence while "
        "Russia fires missiles at Ukraine's cities. Ukraine wants more aid, and Ukraine's "
        "allies send it. "
        "Officials said the budget would also pay for new barracks and for training. "
        "Farmers asked for help with fuel prices, and teachers for higher pay. "
        "Lithuania expects the first new units to be ready in two years."
    )
    primary = {c.code for c in run(text, gazetteer, actors).countries if c.primary}
    assert primary == {"LT", "UA"}


def test_extra_places_from_dumps(gazetteer, actors):
    from dataclasses import replace

    local = replace(gazetteer, extra={})
    local.add_places(
        [(["Sévaré", "Sevare"], PlaceRecord("Sévaré", 14.53, -4.09, "ML", "city", 25000, 2451185))]
    )
    result = run("French troops landed at the airport outside Sevare in Mali.", local, actors)
    [place] = [p for p in result.places if p.canonical == "Sévaré"]
    assert (place.name, place.geonames_id) == ("Sevare", 2451185)


def test_niger_the_country_in_a_nigeria_story(gazetteer, actors):
    text = (
        "Nigerian troops pushed north from Maiduguri and Kano toward the border with "
        "Niger, where Lagos says the militants regroup."
    )
    result = run(text, gazetteer, actors)
    assert "NE" in [c.code for c in result.countries]
    state = run(
        "Gunmen attacked a village in Niger State, west of Abuja in Nigeria.", gazetteer, actors
    )
    assert "NE" not in [c.code for c in state.countries]


def test_region_without_a_namesake_city_gets_no_coordinates(gazetteer, actors):
    result = run(
        "Fighting spread across Yobe and Adamawa in northeastern Nigeria.", gazetteer, actors
    )
    for place in result.places:
        assert place.lat is None or abs(place.lat) > 1  # never a marker at 0°, 0°


def test_names_remembered_across_texts_still_read_their_own_context(gazetteer):
    # The matcher remembers what each run of capitalised words holds ("Haqqani", "Visiting
    # Paris") from one text to the next; what surrounds the run must still decide.
    actors = ActorIndex.build(
        [ActorDef("haqqani", "Haqqani network", "armed-group", (), (), "AF", ("AF", "PK"))]
    )
    for _ in range(2):  # the second round reads every run from memory
        tail = run("Officials blamed the Haqqani network for the attack.", gazetteer, actors)
        assert [a.id for a in tail.actors] == ["haqqani"]
        alone = run("Officials said Haqqani fled to Kabul.", gazetteer, actors)
        assert alone.actors == []
        opening = run("Visiting Paris, the minister met officials.", gazetteer, actors)
        assert [p.canonical for p in opening.places] == ["Paris"]
        inside = run("The museum lent Visiting Paris to London.", gazetteer, actors)
        assert [p.canonical for p in inside.places] == ["London"]  # a title, not the city


@pytest.mark.parametrize(
    ("text", "place", "country"),
    [
        ("Rebels attacked the town of Man in western Ivory Coast on Sunday.", "Man", "CI"),
        ("The mayor of Vic, in Catalonia, said the government in Spain ignored it.", "Vic", "ES"),
        ("Hundreds marched in Louisville, Ky., and in Frankfort on Saturday.", "Ky", "US"),
    ],
)
def test_a_town_named_like_an_abbreviation_is_still_a_town(text, place, country, gazetteer, actors):
    """A name that abbreviates a region without its period ("Man" for Manitoba) loses the
    region, not its other places."""
    result = extract(text, gazetteer, actors)
    assert (place, country) in [(p.name, p.country) for p in result.places]


def test_an_abbreviation_written_without_its_period_is_no_region(gazetteer, actors):
    result = extract("Mo Farah won again in London as the crowd cheered.", gazetteer, actors)
    assert [p.name for p in result.places] == ["London"]
    assert "US" not in [c.code for c in result.countries]


@pytest.mark.parametrize(
    ("text", "name", "country", "near"),
    [
        # a small town qualified by its state beats a famous namesake
        ("A crash outside Edmonton, Ky. killed two on Sunday.", "Edmonton", "US", (37.0, -85.6)),
        ("LONDON, Ky. (AP) - London police arrested two men.", "London", "US", (37.1, -84.1)),
        ("She grew up in London, Ontario, and studied there.", "London", "CA", (43.0, -81.2)),
        ("Floods closed roads around Paris, Texas, on Friday.", "Paris", "US", (33.7, -95.6)),
        ("The port of Tripoli, Lebanon, reopened to traffic.", "Tripoli", "LB", (34.4, 35.8)),
    ],
)
def test_a_place_qualified_by_its_region_or_country_is_the_one_there(
    text, name, country, near, gazetteer, actors
):
    """ "Paris, Texas": the name after the comma says which Paris, and every other mention
    of the name in the text reads the same."""
    result = extract(text, gazetteer, actors)
    found = [p for p in result.places if p.name.casefold() == name.casefold()]
    assert len(found) == 1, [(p.name, p.country) for p in result.places]
    place = found[0]
    assert place.country == country
    assert abs(place.lat - near[0]) < 0.5 and abs(place.lon - near[1]) < 0.5


def test_a_list_of_regions_is_not_one_region_qualifying_another(gazetteer, actors):
    result = extract(
        "Flu cases rose in Delaware, Maine, Vermont and Ohio this week.", gazetteer, actors
    )
    assert {"Maine", "Vermont", "Ohio"} <= {p.name for p in result.places}
    assert all(p.country == "US" for p in result.places)
    # the states themselves, not towns named after them in another state
    assert all(p.precision == "region" for p in result.places), result.places


def test_a_region_point_lies_near_the_middle_of_the_region(gazetteer, actors):
    """Regions are drawn at the middle of their extent (as GeoNames places them), not at
    the crowded side: Texas near its centre, not near Houston; Alberta north of Calgary."""
    texas = extract("Drought spread across Texas this summer.", gazetteer, actors).places[0]
    assert 30.0 < texas.lat < 32.5 and -101.0 < texas.lon < -98.5
    alberta = extract("Fires burned in Alberta again.", gazetteer, actors).places[0]
    assert 53.0 < alberta.lat < 56.0


def test_a_first_name_whose_surname_is_a_hamlet_still_names_a_person(gazetteer, actors):
    """ "Georgia Stevens" is a skater even though some hamlet is called Stevens: her later
    "Georgia" mentions are no country (nor a U.S. state)."""
    text = (
        "INNISFAIL - Nine-year-old Georgia Stevens is lacing her skates. Georgia began "
        "skating at four, and Georgia's coach in Red Deer says she works hard."
    )
    result = extract(text, gazetteer, actors)
    assert "GE" not in [c.code for c in result.countries]
    assert "Georgia" not in [p.name for p in result.places]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two qualified readings of one name: each mention keeps its own
        (
            "The mayor of Paris, France, met the mayor of Paris, Texas.",
            {("Paris", "FR"), ("Paris", "US"), ("Texas", "US")},
        ),
        # a sentence ends after the qualifier: no list, the qualifier holds
        (
            "A crash outside Edmonton, Ky. Kentucky State Police said two died.",
            {("Edmonton", "US")},
        ),
        ("The show opened in Paris, Texas. Germany sent a delegation.", {("Paris", "US")}),
        # a name that is also some region elsewhere is still qualified where it lies
        ("Victoria, British Columbia, hosted the talks.", {("Victoria", "CA")}),
        ("Durango, Colorado, flooded again.", {("Durango", "US")}),
        # a contested name after a town of the U.S. state is the state
        ("Students in Athens, Georgia, marched.", {("Athens", "US"), ("Georgia", "US")}),
        # a region qualified by its country stays the region
        ("Fires burned across southern California, United States.", {("California", "US")}),
    ],
)
def test_qualifiers_in_harder_sentences(text, expected, gazetteer, actors):
    result = extract(text, gazetteer, actors)
    places = {(p.name, p.country) for p in result.places}
    assert expected <= places, places
    assert "GE" not in [c.code for c in result.countries]
