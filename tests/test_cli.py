"""The `geopol` command as an operator runs it: a fresh data dir, real processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def geopol(*args, data_dir: Path, check_status: int | None = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "GEOPOL_DATA_DIR": str(data_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "geopol.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    if check_status is not None:
        assert result.returncode == check_status, result.stderr
    return result


def test_help_lists_the_commands(tmp_path):
    out = geopol("--help", data_dir=tmp_path).stdout
    for command in ("import", "search", "demo", "serve", "reindex", "--data-dir"):
        assert command in out
    assert "--json" in geopol("import", "--help", data_dir=tmp_path).stdout
    assert "--limit" in geopol("search", "--help", data_dir=tmp_path).stdout


def test_import_into_an_empty_data_dir_migrates_first_then_search(tmp_path):
    data_dir = tmp_path / "fresh"
    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: 'Georgia: Protests Over the Foreign Agents Law'\n"
        "published: 2024-05-01T10:00:00Z\ncountries: [GE]\n---\n\n"
        "Tens of thousands marched in Tbilisi against the bill.\n"
    )
    summary = json.loads(
        geopol(
            "--data-dir",
            str(data_dir),
            "import",
            str(article),
            "--json",
            data_dir=tmp_path / "ignored",
        ).stdout
    )
    assert summary["created"] == 1
    assert (data_dir / "geopol.sqlite3").exists()
    [hit] = json.loads(geopol("search", "Tbilisi", "--json", data_dir=data_dir).stdout)
    assert hit["title"] == "Georgia: Protests Over the Foreign Agents Law"
    assert "<mark>Tbilisi</mark>" in hit["snippet"]


def test_data_dir_may_follow_the_command(tmp_path):
    """The README says every command takes --data-dir: after the command name too."""
    article = tmp_path / "b.md"
    article.write_text(
        "---\ntitle: Kenya Deploys to Haiti\npublished: 2024-06-25T09:00:00Z\n---\n\n"
        "Kenyan police officers landed in Port-au-Prince.\n"
    )
    after = tmp_path / "after"
    geopol("import", str(article), "--data-dir", str(after), data_dir=tmp_path / "ignored")
    [hit] = json.loads(
        geopol("search", f"--data-dir={after}", "Haiti", "--json", data_dir=tmp_path / "x").stdout
    )
    assert hit["title"] == "Kenya Deploys to Haiti"
    assert not (tmp_path / "ignored" / "geopol.sqlite3").exists()


def test_failed_file_exits_1_with_one_line_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "x", "published": "2020-01-01", "body": "y"}\n"a string"\n')
    result = geopol("import", str(bad), data_dir=tmp_path / "d", check_status=1)
    assert result.stderr.strip() == f"error: {bad}:2: expected a JSON object, got str"
    assert "0 created" in result.stdout and "1 failed" in result.stdout


@pytest.mark.skipif(not (ROOT / "geopol/articles/demo").is_dir(), reason="no demo corpus")
def test_demo_loads_and_is_idempotent(tmp_path):
    first = geopol("demo", data_dir=tmp_path).stdout
    assert "0 failed" in first
    created = int(first.split(": ")[1].split(" created")[0])
    assert created >= 30
    again = geopol("demo", data_dir=tmp_path).stdout
    assert f"0 created, 0 updated, {created} unchanged, 0 failed" in again


def test_extract_reads_a_folder_of_articles_but_not_its_readme(tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "README.md").write_text("# Notes for the desk\n\nNot an article.\n")
    (folder / "one.md").write_text(
        "---\ntitle: Mopti under pressure\npublished: 2013-01-10T12:00:00Z\n---\n\n"
        "Fighters moved south from Douentza toward Mopti in Mali.\n"
    )
    result = geopol("extract", str(folder), "--json", data_dir=tmp_path / "d")
    [line] = result.stdout.splitlines()
    assert json.loads(line)["title"] == "Mopti under pressure"


def test_extract_warns_of_what_it_read_otherwise_as_import_does(tmp_path):
    piece = tmp_path / "prelude.md"
    piece.write_text(
        "---\ntitle: Mali: A Possible Prelude\npublished: 2013-01-11T18:09:00Z\n---\n\n"
        "French aircraft struck near Konna in Mali.\n"
    )
    result = geopol("extract", str(piece), "--json", data_dir=tmp_path / "d")
    assert json.loads(result.stdout)["title"] == "Mali: A Possible Prelude"
    assert f"warning: {piece}:2:" in result.stderr and "': '" in result.stderr


def test_search_takes_an_excluded_word_first(tmp_path):
    for n, (title, body) in enumerate(
        [("Georgia: Tbilisi marches", "Crowds in Tbilisi."), ("Mali and Tbilisi", "Mali, Tbilisi.")]
    ):
        article = tmp_path / f"{n}.md"
        article.write_text(f"---\ntitle: '{title}'\npublished: 2024-05-0{n + 1}\n---\n\n{body}\n")
        geopol("import", str(article), data_dir=tmp_path / "data")
    hits = json.loads(
        geopol("search", "-mali", "Tbilisi", "--json", data_dir=tmp_path / "data").stdout
    )
    assert [hit["title"] for hit in hits] == ["Georgia: Tbilisi marches"]


def test_lint_names_files_and_lines_as_import_and_extract_do(tmp_path):
    """The three commands that read article files report a bad file and a value read
    leniently the same way, and go on with the other files."""
    piece = tmp_path / "prelude.md"
    piece.write_text(
        "---\ntitle: Mali: A Possible Prelude\npublished: 2013-01-11T18:09:00Z\n---\n\n"
        "French aircraft struck near Konna in Mali.\n"
    )
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n\nText.\n")
    for command in ("lint", "extract", "import"):
        result = geopol(
            command, str(broken), str(piece), data_dir=tmp_path / command, check_status=1
        )
        assert f"warning: {piece}:2:" in result.stderr, command
        assert f"error: {broken}:" in result.stderr, command
        assert "Traceback" not in result.stderr


def test_an_import_stands_when_its_background_work_cannot_be_queued(tmp_path):
    """The task queue's Redis is down (nothing listens on its port): the file is imported and
    said to be, the failure to queue its storylines is logged, and nothing else is skipped."""
    piece = tmp_path / "konna.md"
    piece.write_text(
        "---\ntitle: Konna falls\npublished: 2013-01-10T09:00:00Z\n---\n\n"
        "Fighters of Ansar Dine took Konna, north of Mopti in Mali.\n"
    )
    env_before = os.environ.get("GEOPOL_TASKS_REDIS_URL")
    os.environ["GEOPOL_TASKS_REDIS_URL"] = "redis://127.0.0.1:9/0"  # the discard port: closed
    try:
        result = geopol("import", str(piece), data_dir=tmp_path / "d")
    finally:
        if env_before is None:
            del os.environ["GEOPOL_TASKS_REDIS_URL"]
        else:
            os.environ["GEOPOL_TASKS_REDIS_URL"] = env_before
    assert "1 created" in result.stdout and "failed" in result.stdout
    assert "0 failed" in result.stdout
    assert "enqueue_storylines" in result.stderr, "the failure is logged by name"
    found = geopol("search", "Konna", "--json", data_dir=tmp_path / "d")
    assert [hit["title"] for hit in json.loads(found.stdout)] == ["Konna falls"]
