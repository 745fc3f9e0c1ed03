"""The labelled evaluation sets under bench/ stay valid, and their scorer measures what it says."""

import copy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.heldout import check_heldout  # noqa: E402
from bench.heldout.score import load_gold, score  # noqa: E402


@pytest.fixture(scope="module")
def heldout():
    return load_gold()


def perfect(golds: list[dict]) -> list[dict]:
    """The `geopol extract --json` records a flawless extractor would print."""
    records = []
    for article in golds:
        gold = article["gold"]
        actors = [
            {
                "name": a["name"],
                "kind": "state-force" if a.get("state_force") else "armed-group",
                "aliases_in_text": a["as_written"],
                "countries": [a["state_force"]] if a.get("state_force") else [],
            }
            for a in gold["actors"]
        ]
        persons = [
            {
                "name": p["name"],
                "kind": "person",
                "aliases_in_text": [],
                "countries": p["countries"],
            }
            for p in gold["persons"]
        ]
        records.append(
            {
                "title": article["title"],
                "countries": [
                    {"code": c["code"], "primary": c["primary"]} for c in gold["countries"]
                ],
                "places": [
                    {"name": p["name"], "canonical": p["name"], "lat": p["lat"], "lon": p["lon"]}
                    for p in gold["places"]
                ],
                "actors": actors + persons,
            }
        )
    return records


def test_heldout_set_passes_its_validator():
    from geopol.articles.importers.markdown import read_markdown

    context = {
        "shapes": {},
        "by_name": {},
        "read_markdown": read_markdown,
        "devset": check_heldout.devset_shingles(),
        "stats": __import__("collections").defaultdict(__import__("collections").Counter),
        "geonames_checked": 0,
    }
    errors: list[str] = []
    files = sorted(check_heldout.HERE.glob("[0-9][0-9]-*.md"))
    for path in files:
        check_heldout.check_file(path, context, errors, [])
    assert len(files) >= 25
    assert errors == []
    assert len(context["stats"]) == 9, "every region has articles"


def test_validator_rejects_a_label_the_text_does_not_support(tmp_path):
    source = sorted(check_heldout.HERE.glob("[0-9][0-9]-*.md"))[0]
    broken = tmp_path / source.name
    broken.write_text(source.read_text().replace('["Mike DeWine", "DeWine"]', '["Mike DeVine"]'))
    context = {
        "shapes": {},
        "by_name": {},
        "read_markdown": None,
        "devset": set(),
        "stats": __import__("collections").defaultdict(__import__("collections").Counter),
        "geonames_checked": 0,
    }
    errors: list[str] = []
    check_heldout.check_file(broken, context, errors, [])
    assert errors == [f"{source.name}: person string 'Mike DeVine' does not occur in the text"]


def test_a_flawless_extractor_scores_one_everywhere(heldout):
    summary = score(perfect(heldout), heldout)
    assert summary["countries"]["f1"] == 1.0
    assert summary["places"]["found"]["f1"] == 1.0
    assert summary["places"]["resolved_of_gold"]["share"] == 1.0
    assert summary["actors"]["f1"] == 1.0
    assert summary["persons"]["f1"] == 1.0
    assert summary["state_forces"]["with_country"]["share"] == 1.0
    assert summary["unpaired_articles"] == []


def test_misplaced_places_are_found_but_not_resolved(heldout):
    records = perfect(heldout)
    for record in records:
        for place in record["places"]:
            place["lat"] = max(-90.0, min(90.0, place["lat"] + 3))  # about 330 km off
    summary = score(records, heldout)
    assert summary["places"]["found"]["recall"] == 1.0
    assert summary["places"]["resolved_of_gold"]["share"] == 0.0


def test_missing_persons_and_extra_countries_lower_the_figures(heldout):
    records = copy.deepcopy(perfect(heldout))
    for record in records:
        record["actors"] = [a for a in record["actors"] if a["kind"] != "person"]
        record["countries"].append({"code": "AQ", "primary": False})
    summary = score(records, heldout)
    assert summary["persons"]["recall"] == 0.0
    assert summary["countries"]["precision"] < 1.0
    assert summary["countries"]["recall"] == 1.0


def test_the_scorer_reads_the_dev_set_too():
    devset = load_gold(ROOT / "bench" / "devset")
    assert len(devset) == 47
    assert score([], devset)["countries"]["recall"] == 0.0


def test_relatedness_set_references_only_articles_that_exist():
    from bench.relatedset.load import PREFIXES, load, piece_problems

    related = load()  # raises on a missing article, a query without positives or distractors
    assert piece_problems() == []
    assert len(related.queries) >= 40
    assert {q for q in related.queries if q.startswith(PREFIXES["demo:"])}
    assert {q for q in related.queries if q.startswith(PREFIXES["set:"])}
    for query in related.queries:
        assert set(related.grades[query]) <= set(related.articles)
        assert query not in related.grades[query]


def test_relatedness_judgments_are_symmetric_and_storylines_graded_three():
    from bench.relatedset.load import load

    related = load(check=False)
    konna = (
        "https://demo.geopol.example/analysis/mali-jihadist-push-on-konna-draws-french-firepower"
    )
    gao = "https://relatedset.geopol.example/02-mali-gao-and-timbuktu-fall"
    cotton = "https://relatedset.geopol.example/05-mali-cotton-and-gold-exports"
    assert related.grades[konna][gao] == 3
    assert related.grades[gao][konna] == 3
    assert related.grades[konna][cotton] == 0


def test_ndcg_rewards_putting_the_storyline_first():
    from bench.relatedset.load import ndcg_at_k

    grades = {"a": 3, "b": 3, "c": 1, "d": 0, "e": 0}
    assert ndcg_at_k(["a", "b", "c", "d", "e"], grades) == 1.0
    worse = ndcg_at_k(["d", "e", "c", "a", "b"], grades)
    assert 0 < worse < ndcg_at_k(["a", "d", "b", "c", "e"], grades) < 1.0
    assert ndcg_at_k(["x", "y"], grades) == 0.0


@pytest.mark.parametrize("folder", ["devset", "heldout", "relatedset/pieces"])
def test_the_importer_reads_every_labelled_file_without_a_warning(folder):
    """The labels sit in `x-` keys the importer leaves alone; any other unknown key in these
    files would now fail their import (docs/formats.md, "Keys for other tools")."""
    from geopol.articles.importers.markdown import read_markdown

    files = sorted((ROOT / "bench" / folder).glob("[0-9][0-9]-*.md"))
    assert len(files) >= 30
    for path in files:
        [article] = read_markdown(path.read_text(encoding="utf-8"))
        assert article.warnings == [], path.name
