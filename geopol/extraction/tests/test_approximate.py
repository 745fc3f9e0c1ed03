"""Places the text locates but the gazetteer lacks (issue 10, item 5): proposed at the point
of what locates them and marked approximate, in the results, the JSON and on the map. The
towns here (Korvanti, Tesselbou, Kelbassa, Dorvana) are invented, so no gazetteer has them."""

import pytest

from geopol.extraction.actors import ActorIndex
from geopol.extraction.geography import country_point
from geopol.extraction.pipeline import distance_km, extract
from geopol.geo.gazetteer import base_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return base_gazetteer()


@pytest.fixture(scope="module")
def actors():
    return ActorIndex.build([])


def places(text, gazetteer, actors):
    return {p.name: p for p in extract(text, gazetteer, actors).places}


def test_a_town_in_a_named_region_is_put_at_the_region(gazetteer, actors):
    text = (
        "Soldiers reached Korvanti, a small market town in the region of Mopti, on Monday. "
        "By the evening Korvanti was calm again, officials in Bamako said."
    )
    result = extract(text, gazetteer, actors)
    found = {p.name: p for p in result.places}
    korvanti, mopti = found["Korvanti"], found["Mopti"]
    assert korvanti.precision == "region" and korvanti.country == "ML"
    assert (korvanti.lat, korvanti.lon) == (mopti.lat, mopti.lon)
    assert korvanti.mentions == 2  # the second mention reads the same
    assert found["Bamako"].precision == "point"
    assert {c.code for c in result.countries} == {"ML"}


def test_only_the_country_known_puts_it_at_the_country(gazetteer, actors):
    text = (
        "The militants fortified the village of Tesselbou, which lies in northern Mali. "
        "Aid workers left for Senegal."
    )
    result = extract(text, gazetteer, actors)
    tesselbou = {p.name: p for p in result.places}["Tesselbou"]
    assert tesselbou.precision == "country" and tesselbou.country == "ML"
    mali = country_point("ML")
    assert mali is not None
    assert distance_km((tesselbou.lat, tesselbou.lon), mali) < 1
    assert {c.code for c in result.countries} == {"ML", "SN"}


def test_a_district_named_before_its_province(gazetteer, actors):
    text = "Floods cut off farms in the Kelbassa district of Punjab after the monsoon."
    kelbassa = places(text, gazetteer, actors)["Kelbassa"]
    assert kelbassa.precision == "region" and kelbassa.country in ("PK", "IN")


def test_a_suburb_near_a_town_is_put_near_that_town(gazetteer, actors):
    text = "Residents of Dorvana, a suburb located east of Harare, have had no water for weeks."
    found = places(text, gazetteer, actors)
    dorvana = found["Dorvana"]
    assert dorvana.precision == "region" and dorvana.country == "ZW"
    assert distance_km((dorvana.lat, dorvana.lon), (-17.83, 31.05)) < 50


def test_nothing_is_proposed_without_a_place_that_locates_it(gazetteer, actors):
    # a cue, but no country or place named anywhere: no point to honestly propose
    assert places("The village of Tesselbou voted on Sunday.", gazetteer, actors) == {}


@pytest.mark.parametrize(
    "text",
    [
        "Tim Whitley, a city official in Mopti, said the spraying had begun in Mali.",
        "A bird was found in the Eastern province of Mali last week.",
        "Police patrolled the neighborhood of Saturday's gun battle in Bamako, Mali.",
        "Refugees crossed into the European region from Libya, the Malian officials said.",
    ],
)
def test_cue_words_around_what_is_no_place(gazetteer, actors, text):
    found = places(text, gazetteer, actors)
    assert [p.name for p in found.values() if p.kind == "approximate"] == []


def test_a_word_capitalised_by_the_sentence_is_not_part_of_the_name(gazetteer, actors):
    text = "In Korvanti, a town in the region of Mopti, the market reopened in Mali."
    found = places(text, gazetteer, actors)
    assert found["Korvanti"].precision == "region"
    assert "In Korvanti" not in found


def test_a_name_inside_a_longer_name_is_not_another_mention(gazetteer, actors):
    text = (
        "Aid reached Korvanti, a town in the region of Mopti, in Mali. The Korvanti Water "
        "Board said its pumps work."
    )
    korvanti = places(text, gazetteer, actors)["Korvanti"]
    assert korvanti.mentions == 1


@pytest.mark.django_db
def test_the_article_map_draws_an_approximate_place_as_a_ring(client):
    from geopol.articles.tests.factories import ArticleFactory
    from geopol.extraction.maps import article_map_spec
    from geopol.extraction.services import tag_article

    article = ArticleFactory(
        title="Mali: fighting near Mopti",
        body="Fighters attacked Korvanti, a town in the region of Mopti, and then Douentza.",
    )
    tag_article(article)
    kinds = {p.label: p.kind for p in article_map_spec(article).points}
    assert kinds["Korvanti"] == "approximate" and kinds["Douentza"] == "place"
    page = client.get(article.get_absolute_url()).content.decode()
    svg = page.split("<svg", 1)[1]
    assert "Korvanti" in svg and "Approximate: placed at its region or country" in svg
