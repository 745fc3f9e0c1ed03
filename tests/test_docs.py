"""Docs that must not drift from the code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_variable_is_documented():
    source = (ROOT / "geopol/settings.py").read_text()
    used = set(re.findall(r'env(?:_bool)?\(\s*"([A-Z_]+)"', source))
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs/settings.md").read_text(), re.M)
    )
    assert used, "no variables found: the pattern is out of date"
    assert used == documented


def test_readme_has_exactly_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block, "README has no ```sh block"
    assert block.group(1).split("\n")[:2] == ["make run", "make test"]


def test_the_change_path_table_is_the_code():
    """docs/architecture.md lists the stages and their subscribers as the code declares them."""
    from geopol.articles import changes

    section = (ROOT / "docs/architecture.md").read_text().split("## The change path")[1]
    rows = re.findall(
        r"^\| `(\w+)` \| (in the transaction|after the commit) \| (.*) \|$", section, re.M
    )
    assert [(name, when == "after the commit") for name, when, _ in rows] == [
        (stage.name, stage.after_commit) for stage in changes.STAGES
    ]
    documented = {
        (name, found) for name, _, cell in rows for found in re.findall(r"`[\w.]+\.(\w+)`", cell)
    }
    assert documented == {(stage, s.__name__) for stage, s in changes.subscribers()}
