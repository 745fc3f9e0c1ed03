"""The seed article (../shared/seed/, someone else's text: read at run time, never copied)
read as a member would see it: with the stock gazetteer no place outside Mali and no country
the text does not name; with GeoNames' Mali dump loaded, each of its seven places at the
right town. Skipped, saying why, when the seed or the dump is absent."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from geopol.extraction.actors import ActorIndex, registry_from_file
from geopol.extraction.pipeline import Extraction, distance_km, extract
from geopol.geo.gazetteer import Gazetteer, base_gazetteer

SHARED = Path(__file__).resolve().parents[4] / "shared"
SEED = SHARED / "seed" / "000_4b2a77ebaa4c6e4f.txt"
MALI_DUMP = SHARED / "data" / "geonames" / "ML.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"seed article absent: {SEED}")

# the countries the seed names outright: Mali, France, Germany, Mauritania, the U.S.
NAMED = {"ML", "FR", "DE", "MR", "US"}
# where its places are (public facts); Mopti may be the region, which the text also means
TOWNS = {
    "Mopti": (14.49, -4.18),
    "Sevare": (14.53, -4.09),
    "Konna": (14.95, -3.89),
    "Douentza": (15.00, -2.95),
    "Lere": (15.71, -4.91),  # on the road from Mauritania to Timbuktu, not the one near Mopti
    "Timbuktu": (16.77, -3.00),
    "Bamako": (12.64, -8.00),
}


def read_seed(gazetteer: Gazetteer) -> Extraction:
    from geopol.articles.importers import read_file
    from geopol.articles.rendering import FigureView, render_body_and_text

    [data] = read_file(SEED, 10_000_000)
    _, text = render_body_and_text(
        data.body, [FigureView(f.key, f.kind, f.caption) for f in data.figures]
    )
    return extract(text, gazetteer, ActorIndex.build(list(registry_from_file())), title=data.title)


@needs_seed
def test_seed_with_stock_gazetteer_stays_in_mali():
    result = read_seed(base_gazetteer())
    assert {c.code for c in result.countries} <= NAMED  # Lere, Nigeria would add NG
    assert [c.code for c in result.countries if c.primary] == ["ML"]
    outside = [(p.name, p.country) for p in result.places if p.country != "ML"]
    assert outside == []
    assert {"Mopti", "Timbuktu", "Bamako", "Douentza"} <= {p.name for p in result.places}


@needs_seed
@pytest.mark.skipif(not MALI_DUMP.exists(), reason=f"GeoNames Mali dump absent: {MALI_DUMP}")
@pytest.mark.django_db
def test_seed_with_mali_dump_finds_each_town(tmp_path):
    from geopol.extraction.services import current_gazetteer, forget_cached

    call_command("load_gazetteer", str(MALI_DUMP), stdout=io.StringIO())
    forget_cached()
    try:
        result = read_seed(current_gazetteer())
    finally:
        # the dump's rows roll back with the test; the process's gazetteer must forget them
        # too, or later tests read Mali through the dump ("Mopti Region" for Mopti)
        forget_cached()
    assert {c.code for c in result.countries} <= NAMED
    found = {p.name: p for p in result.places}
    for name, point in TOWNS.items():
        assert name in found, f"{name} not found"
        place = found[name]
        assert place.country == "ML"
        assert place.lat is not None and place.lon is not None
        limit = 150 if name == "Mopti" and place.precision == "region" else 25
        assert distance_km((place.lat, place.lon), point) <= limit, (name, place)
