"""Dependency hygiene (issue 15): what a SQLite install takes, and the pins every install uses."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            found[canonicalize_name(name)] = version.strip()
    return found


def test_base_install_leaves_out_what_only_postgres_gunicorn_or_benchmarks_need():
    base = {canonicalize_name(Requirement(r).name) for r in PROJECT["dependencies"]}
    assert not base & {"psycopg", "gunicorn", "tantivy", "spacy"}
    extras = PROJECT["optional-dependencies"]
    assert any("psycopg" in r for r in extras["postgres"])
    assert any("gunicorn" in r for r in extras["gunicorn"])
    assert any("tantivy" in r for r in extras["bench"])


def test_every_requirement_is_pinned_in_constraints_within_its_range():
    pinned = pins()
    requirements = [*PROJECT["dependencies"]]
    for group in PROJECT["optional-dependencies"].values():
        requirements += [r for r in group if not r.startswith("geopol[")]
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in constraints.txt: run make constraints"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pinned[name]}, outside {text!r}: "
            "run make constraints"
        )
