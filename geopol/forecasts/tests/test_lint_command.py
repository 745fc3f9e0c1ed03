"""`geopol lint` as an editor runs it: a real process, any import format, JSON Lines out."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_4b2a77ebaa4c6e4f.txt"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("lint-data")


def lint(*args, data_dir):
    env = {**os.environ, "GEOPOL_DATA_DIR": str(data_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "geopol.cli", "lint", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_clean_and_flagged_files_one_object_per_article(tmp_path, data_dir):
    clean = tmp_path / "clean.md"
    clean.write_text(
        "---\ntitle: Chad Votes\npublished: 2024-05-06\njudgments:\n"
        "  - {statement: The incumbent wins., likelihood: very likely, probability: 0.9, "
        "resolves_by: 2024-05-31}\n---\n\nThe interim president will very likely win the vote.\n"
    )
    wire = tmp_path / "wire.jsonl"
    records = [
        {
            "title": "Niger: Talks Stall",
            "published": "2024-06-01",
            "body": "The talks could take months. Mediators will probably return in July.",
            "judgments": [
                {"statement": "Talks resume.", "likelihood": "likely", "probability": 0.9}
            ],
        },
        {"title": "Mali: Quiet Week", "published": "2024-06-02", "body": "Markets reopened."},
    ]
    wire.write_text("\n".join(json.dumps(r) for r in records) + "\n")

    result = lint(clean, "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["flagged"] == [] and record["proposed"][0]["likelihood"] == "very likely"

    result = lint(wire, "--json", data_dir=data_dir)
    assert result.returncode == 1
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert (first["line"], second["line"]) == (1, 2)
    assert {f["rule"] for f in first["flagged"]} == {
        "vague-modal",
        "no-resolve-by",
        "probability-outside-band",
    }
    assert second["proposed"] == second["flagged"] == []


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not in ../shared/seed/")
def test_the_seed_page_dump_proposes_the_central_mali_judgment(data_dir):
    result = lint(SEED, "--json", data_dir=data_dir)
    assert result.returncode == 1  # its vague modals and mixed term sets
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    troops = [p for p in record["proposed"] if "central Mali" in p["statement"]]
    assert troops and troops[0]["likelihood"] == "likely" and troops[0]["forecast"]
