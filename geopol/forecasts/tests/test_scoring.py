"""Brier scores and calibration against values computed by hand."""

import pytest

from geopol.forecasts.scoring import Forecast, bin_index, brier, calibration, score_groups


def test_brier_of_hand_computed_forecasts():
    # (0.7 - 1)^2 = 0.09; (0.2 - 0)^2 = 0.04; (0.9 - 0)^2 = 0.81; (0.5 - 1)^2 = 0.25
    # mean = 1.19 / 4 = 0.2975
    forecasts = [
        Forecast(0.7, True),
        Forecast(0.2, False),
        Forecast(0.9, False),
        Forecast(0.5, True),
    ]
    assert brier(forecasts) == pytest.approx(0.2975)


def test_brier_extremes_and_reference():
    assert brier([Forecast(1.0, True), Forecast(0.0, False)]) == 0
    assert brier([Forecast(1.0, False)]) == 1
    assert brier([Forecast(0.5, True), Forecast(0.5, False)]) == 0.25
    assert brier([]) is None


def test_bins_are_equal_tenths_and_one_goes_in_the_last():
    assert [bin_index(p, 10) for p in (0.0, 0.05, 0.1, 0.55, 0.8, 0.99, 1.0)] == [
        0,
        0,
        1,
        5,
        8,
        9,
        9,
    ]


def test_calibration_counts_means_and_observed_rates_by_hand():
    forecasts = [
        Forecast(0.72, True),
        Forecast(0.78, False),
        Forecast(0.70, True),  # bin 70-80%: mean 0.7333..., 2 of 3 true
        Forecast(0.15, False),  # bin 10-20%: mean 0.15, 0 of 1
        Forecast(0.97, True),  # bin 90-100%
    ]
    bins = calibration(forecasts, bins=10)
    assert len(bins) == 10
    assert [b.count for b in bins] == [0, 1, 0, 0, 0, 0, 0, 3, 0, 1]
    seventies = bins[7]
    assert seventies.label == "70–80%"
    assert seventies.mean_probability == pytest.approx(2.2 / 3)
    assert seventies.observed == pytest.approx(2 / 3)
    assert bins[1].observed == 0 and bins[9].observed == 1
    assert bins[0].mean_probability is None and bins[0].observed is None


def test_groups_are_scored_separately_best_first_and_a_forecast_can_be_in_two():
    rows = [
        ("a", "Analyst A", Forecast(0.9, True)),  # 0.01
        ("a", "Analyst A", Forecast(0.7, False)),  # 0.49 -> mean 0.25
        ("b", "Analyst B", Forecast(0.9, True)),  # the same forecast, co-written: 0.01
    ]
    scores = score_groups(rows)
    assert [(s.key, s.count) for s in scores] == [("b", 1), ("a", 2)]
    assert scores[1].brier == pytest.approx(0.25)
    assert scores[1].brier_label == "0.25"
    assert scores[0].brier_label == "0.01"
