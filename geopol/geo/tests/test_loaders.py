"""The country table's sources."""


def test_the_m49_table_covers_every_iso_country():
    import pycountry

    from geopol.geo.loaders import m49_subregions
    from geopol.geo.regions import SUBREGION_TO_REGION

    table = m49_subregions()
    assert set(table) == {entry.alpha_2 for entry in pycountry.countries}
    assert table["ML"] == "Sub-Saharan Africa" and table["FR"] == "Western Europe"
    assert {s for s in table.values() if s} <= set(SUBREGION_TO_REGION)


def test_the_built_gazetteer_is_shared_not_rebuilt():
    """Every save of an actor or place forgets the extraction caches; the base gazetteer
    under them (about a second to build, 100 MB) must not be built again each time."""
    from geopol.geo.gazetteer import base_gazetteer, capitals

    assert base_gazetteer() is base_gazetteer()
    assert capitals()["FR"] == "paris"
