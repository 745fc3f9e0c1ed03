"""The rules that score and explain, without a database."""

from geopol.related.scoring import Evidence, Shared, reason, score, when
from geopol.related.words import distinctive_words


def test_reasons_name_what_is_shared_and_when():
    evidence = Evidence(
        actors=[Shared("Ansar Dine", 3.0), Shared("UN Security Council", 0.4)],
        places=[Shared("Konna", 3.5)],
        countries=[Shared("Mali", 1.0)],
        days=1.2,
    )
    assert reason(evidence) == "Also about Ansar Dine and Konna · 1 day later"
    assert reason(Evidence(storyline="Mali 2013 intervention", days=-20)) == (
        "Same storyline: Mali 2013 intervention · 3 weeks earlier"
    )
    assert reason(Evidence(countries=[Shared("Mali", 1.0)], days=400)) == (
        "Also about Mali · 13 months later"
    )
    assert reason(Evidence(text=0.8, days=0.2)) == "Similar in subject · same day"


def test_no_reason_is_a_bare_count():
    for evidence in (
        Evidence(countries=[Shared("Mali", 1.0), Shared("France", 1.0)]),
        Evidence(actors=[Shared(name, 1.0) for name in ("AQIM", "MUJWA", "Ansar Dine", "ECOWAS")]),
    ):
        text = reason(evidence)
        assert not any(ch.isdigit() for ch in text.split("·")[0]), text
        assert " and " in text and "shared" not in text


def test_time_phrases():
    assert when(0.3) == "same day"
    assert when(-1) == "1 day earlier"
    assert when(10) == "10 days later"
    assert when(-45) == "6 weeks earlier"
    assert when(3 * 365.25) == "3 years later"


def test_rare_shared_actors_outweigh_a_common_country_and_time_decays():
    story = Evidence(actors=[Shared("Ansar Dine", 4.0)], places=[Shared("Konna", 4.0)], days=2)
    coincidence = Evidence(countries=[Shared("France", 0.5)], days=2)
    assert score(story) > 5 * score(coincidence)
    assert score(Evidence(actors=[Shared("A", 2.0)], days=5)) > score(
        Evidence(actors=[Shared("A", 2.0)], days=2000)
    )


def test_distinctive_words_skip_common_ones_and_favour_names():
    text = (
        "Ansar Dine fighters took Konna. The government said Konna would be retaken, "
        "and officials said the fighters of Ansar Dine would probably retreat."
    )
    words = distinctive_words(text, limit=4)
    assert set(words[:3]) >= {"Konna", "Ansar"}
    assert not {"said", "would", "government", "officials"} & {w.lower() for w in words}
