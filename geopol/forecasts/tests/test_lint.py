"""The tradecraft linter: each rule on original sentences, and the seed when it is present."""

import datetime as dt
from pathlib import Path

import pytest

from geopol.forecasts.lint import Declared, lint, sentences

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_4b2a77ebaa4c6e4f.txt"


def rules(result):
    return [f.rule for f in result.flagged]


def test_will_probably_proposes_a_likely_forecast():
    result = lint(["The coalition will probably collapse before the budget vote in March."])
    [proposal] = result.proposed
    assert (proposal.likelihood, proposal.band, proposal.forecast) == ("likely", "55–80%", True)
    assert proposal.phrase == "will probably"
    assert proposal.probability == 0.675


def test_most_likely_proposes_very_likely_or_likely():
    [proposal] = lint(["Most likely, the envoy will return to Addis Ababa next week."]).proposed
    assert proposal.likelihood == "very likely"
    assert proposal.alternatives == ("likely",)


def test_a_judgment_about_the_past_is_proposed_but_not_as_a_forecast():
    [proposal] = lint(["The raid probably was ordered by the northern command."]).proposed
    assert proposal.likelihood == "likely" and proposal.forecast is False


def test_longer_phrases_win_over_the_words_inside_them():
    result = lint(["A ceasefire is highly unlikely to hold and is very unlikely to be renewed."])
    assert [p.likelihood for p in result.proposed] == ["very unlikely"]
    assert [p.phrase for p in result.proposed] == ["highly unlikely"]


def test_vague_modals_carrying_a_forecast_are_flagged():
    result = lint(["The talks could take months, and the junta may extend its rule."])
    flags = [f for f in result.flagged if f.rule == "vague-modal"]
    assert [f.message.split("'")[1] for f in flags] == ["could take", "may extend"]
    assert result.proposed == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Negotiators could not reach the border town in time.",
        "The militia may have moved its fighters north already.",
        "The tremor may indicate a collapse of the test cavity.",
        "Exports could probably rise within months.",
        "The vote was set for May 2014 at the latest.",
    ],
)
def test_modals_about_the_past_inferences_and_hedged_ones_are_not_vague(sentence):
    assert "vague-modal" not in rules(lint([sentence]))


def test_mixing_the_two_icd_203_word_sets_is_flagged_once():
    result = lint(
        [
            "The governor will likely resign.",
            "The assembly will probably elect a successor.",
            "The army will probably stay out.",
        ]
    )
    assert rules(result).count("mixed-term-sets") == 1
    assert "'will likely' and 'will probably'" in result.flagged[-1].message


def test_one_word_set_is_not_mixed():
    result = lint(["The governor will likely resign.", "A successor is very likely to win."])
    assert "mixed-term-sets" not in rules(result)


def test_likelihood_and_confidence_in_one_sentence_are_flagged():
    result = lint(["We assess with high confidence that the port will likely reopen."])
    assert rules(result) == ["likelihood-with-confidence"]
    separate = lint(["We have high confidence in the sources.", "The port will likely reopen."])
    assert "likelihood-with-confidence" not in rules(separate)


def test_declared_judgments_without_a_resolve_by_date_are_flagged():
    judgments = [
        Declared("The port reopens.", "likely", 0.7, None),
        Declared("The envoy resigns.", "unlikely", 0.3, dt.date(2026, 1, 1)),
    ]
    flags = [f for f in lint(["Text."], judgments).flagged if f.rule == "no-resolve-by"]
    assert [(f.judgment, f.text) for f in flags] == [(1, "The port reopens.")]


def test_probabilities_outside_their_band_are_flagged_declared_and_written():
    declared = lint(["Text."], [Declared("The port reopens.", "likely", 0.9, dt.date(2026, 1, 1))])
    assert rules(declared) == ["probability-outside-band"]
    assert "55–80%" in declared.flagged[0].message
    written = lint(["The port will likely reopen (90 percent) by June."])
    assert "probability-outside-band" in rules(written)
    fitting = lint(["The port will likely reopen (70%) by June."])
    assert "probability-outside-band" not in rules(fitting)


def test_sentences_do_not_end_at_abbreviations_or_initials():
    paragraph = (
        "Troops landed on Jan. 10 near the U.S. base. Gen. A. Diallo said they will "
        "probably stay. Others disagreed."
    )
    assert len(sentences(paragraph)) == 3


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not in ../shared/seed/")
def test_the_seed_yields_the_troops_in_central_mali_judgment():
    from geopol.articles.importers.pagedump import read_pagedump
    from geopol.articles.rendering import plain_text

    [data] = read_pagedump(SEED.read_text(encoding="utf-8"))
    result = lint(plain_text(data.body).split("\n\n"))
    troops = [p for p in result.proposed if "central Mali" in p.statement and p.forecast]
    assert troops, [p.statement for p in result.proposed]
    assert troops[0].likelihood == "likely" and troops[0].phrase == "will probably"
    assert "could take" in " ".join(f.message for f in result.flagged)
