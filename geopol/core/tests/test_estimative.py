"""The ICD 203 terms and bands."""

import itertools

import pytest

from geopol.core import estimative

BANDS = {
    "almost no chance": (0.01, 0.05),
    "very unlikely": (0.05, 0.20),
    "unlikely": (0.20, 0.45),
    "roughly even chance": (0.45, 0.55),
    "likely": (0.55, 0.80),
    "very likely": (0.80, 0.95),
    "almost certain": (0.95, 0.99),
}


def test_the_seven_terms_and_their_bands_in_order():
    assert [(t.key, (t.low, t.high)) for t in estimative.terms()] == list(BANDS.items())


def test_bands_tile_one_to_ninety_nine_percent_without_gaps():
    terms = estimative.terms()
    assert terms[0].low == 0.01 and terms[-1].high == 0.99
    for lower, upper in itertools.pairwise(terms):
        assert lower.high == upper.low


@pytest.mark.parametrize(
    ("key", "inside", "outside"),
    [
        ("almost no chance", 0.03, 0.06),
        ("very unlikely", 0.1, 0.25),
        ("unlikely", 0.3, 0.5),
        ("roughly even chance", 0.5, 0.6),
        ("likely", 0.7, 0.85),
        ("very likely", 0.9, 0.7),
        ("almost certain", 0.97, 0.9),
    ],
)
def test_band_problem_accepts_inside_and_explains_outside(key, inside, outside):
    assert estimative.band_problem(key, inside) is None
    problem = estimative.band_problem(key, outside)
    assert problem is not None and key in problem
    assert estimative.term(key).band_label in problem  # says what the band is


def test_a_shared_edge_fits_both_terms():
    assert [t.key for t in estimative.terms_for(0.8)] == ["likely", "very likely"]
    assert estimative.band_problem("likely", 0.8) is None
    assert estimative.band_problem("very likely", 0.8) is None


def test_outside_band_names_the_term_that_fits():
    assert "very likely" in estimative.band_problem("likely", 0.9)


def test_term_lookup_forgives_case_and_separators_and_rejects_unknown():
    assert estimative.term("Very_Likely").key == "very likely"
    assert estimative.term("roughly-even  chance").key == "roughly even chance"
    assert estimative.term("probable") is None
    assert "not an ICD 203 term" in estimative.band_problem("probable", 0.6)


def test_midpoints_and_labels():
    likely = estimative.term("likely")
    assert likely.midpoint == 0.675
    assert likely.band_label == "55–80%"
    assert estimative.confidence_levels() == ("low", "moderate", "high")
