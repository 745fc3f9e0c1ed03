"""`geopol import`: summaries, idempotency and bad input, through the real command."""

import json
from pathlib import Path

import pytest

from geopol.articles.models import Article, Revision
from geopol.articles.tests.conftest import markdown

FIXTURES = Path(__file__).parent / "fixtures"


def test_import_creates_then_leaves_unchanged_then_updates(run_import, tmp_path):
    path = tmp_path / "niger.md"
    path.write_text(markdown(countries=["NE", "ML"], source_url="https://example.org/niger"))
    first = run_import(path)
    assert first.status == 0
    assert (first.json["created"], first.json["failed"]) == (1, 0)
    [entry] = first.json["articles"]
    article = Article.objects.get(pk=entry["id"])
    assert entry["slug"] == article.slug == "niger-the-junta-digs-in"
    assert entry["url"] == f"/articles/{article.slug}/"

    again = run_import(path)
    assert (again.json["created"], again.json["unchanged"]) == (0, 1)
    assert Article.objects.count() == 1

    path.write_text(
        markdown(
            countries=["NE"],
            source_url="https://example.org/niger",
            title="Niger: The Junta Digs In Deeper",
        )
    )
    third = run_import(path)
    assert third.json["updated"] == 1
    assert Article.objects.count() == 1
    article.refresh_from_db()
    assert article.title == "Niger: The Junta Digs In Deeper"
    given = article.country_links.filter(by_editor=True).values_list("country_id", flat=True)
    assert list(given) == ["NE"]
    assert article.ordered_countries()[0].code == "NE"  # the file's countries come first
    assert Revision.objects.filter(article=article).count() == 2


def test_identity_without_source_url_is_title_and_date(run_import, tmp_path):
    (tmp_path / "a.md").write_text(markdown())
    (tmp_path / "copy.md").write_text(markdown(title="NIGER:  the junta digs in"))
    result = run_import(tmp_path)
    assert result.status == 0
    assert (result.json["created"], result.json["updated"]) == (1, 1)
    assert Article.objects.count() == 1


def test_human_summary(run_import, tmp_path):
    (tmp_path / "a.md").write_text(markdown())
    result = run_import(tmp_path, as_json=False)
    assert result.out.strip() == "1 file(s): 1 created, 0 updated, 0 unchanged, 0 failed"


BAD_INPUTS = {
    "empty.md": (b"", "the file is empty"),
    "binary.md": (bytes(range(256)) * 4, "binary"),
    "untitled.md": (markdown(title="").encode(), "no title"),
    "undated.md": (markdown(published="the 5th of never").encode(), "'published'"),
    "latin1.md": (markdown(title="Côte d'Ivoire").encode("latin-1"), "invalid UTF-8"),
    "lines.jsonl": (
        b'{"title": "Fine", "published": "2020-01-01", "body": "ok"}\n["not", "an object"]\n',
        "expected a JSON object",
    ),
    "country.md": (markdown(countries=["ML", "XX"]).encode(), "XX not ISO 3166-1"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_fails_that_file_alone(run_import, tmp_path, name):
    content, reason = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.md"
    good.write_text(markdown(title="Sudan: War Reaches Khartoum", published="2023-04-16"))
    result = run_import(bad, good)
    assert result.status == 1
    [error_line] = result.err.strip().splitlines()
    assert error_line.startswith(f"error: {bad}")
    assert reason in error_line
    assert result.json["failed"] == 1
    assert result.json["created"] == 1
    assert list(Article.objects.values_list("title", flat=True)) == ["Sudan: War Reaches Khartoum"]


def test_bad_jsonl_line_is_named_and_nothing_of_the_file_is_written(run_import, tmp_path):
    path = tmp_path / "wire.jsonl"
    good = {"title": "Fine", "published": "2020-01-01", "body": "Text."}
    path.write_text(json.dumps(good) + "\n" + json.dumps(good | {"title": "Also"}) + "\n7\n")
    result = run_import(path)
    assert result.status == 1
    assert result.err.strip() == f"error: {path}:3: expected a JSON object, got int"
    assert Article.objects.count() == 0


def test_oversized_file(run_import, tmp_path, settings):
    settings.GEOPOL_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.write(markdown().encode())
        handle.write(b"word " * (50 * 1024 * 1024 // 5))
    result = run_import(path)
    assert result.status == 1
    assert "over the 10 MB limit" in result.err
    assert Article.objects.count() == 0


def test_missing_path_and_globs(run_import, tmp_path):
    (tmp_path / "a.md").write_text(markdown())
    (tmp_path / "b.md").write_text(markdown(title="Another", published="2020-02-02"))
    result = run_import(str(tmp_path / "*.md"), tmp_path / "nowhere.md")
    assert result.status == 1
    assert result.json["created"] == 2
    assert f"error: {tmp_path / 'nowhere.md'}: no such file" in result.err


def test_page_dump_import_places_figure(run_import):
    result = run_import(FIXTURES / "pagedump_harbour.txt")
    assert result.status == 0
    article = Article.objects.get()
    assert article.figures.get().caption == "Lower Juba Checkpoints"
    assert '<figure class="figure figure-map" id="figure-figure-1">' in article.body_html
    assert article.body_html.index("<figure") < article.body_html.index("The port matters")


def test_duplicate_figure_ids_and_out_of_range_dates_fail_that_file_only(run_import, tmp_path):
    dup = tmp_path / "dup.md"
    dup.write_text(markdown(figures=[{"id": "m", "caption": "One"}, {"id": "m", "caption": "Two"}]))
    old = tmp_path / "old.md"
    old.write_text(markdown(published="0001-01-01T00:00:00+01:00", title="Too old"))
    good = tmp_path / "good.md"
    good.write_text(markdown(title="Fine", published="2020-01-01"))
    result = run_import(dup, old, good)
    assert result.status == 1
    assert result.json["created"] == 1 and result.json["failed"] == 2
    assert "id 'm' is used by another figure" in result.err
    assert "out of range" in result.err


def test_corrected_headline_keeps_the_url(run_import, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(markdown(source_url="https://example.org/a"))
    first = run_import(path).json["articles"][0]["url"]
    path.write_text(markdown(source_url="https://example.org/a", title="A Corrected Headline"))
    assert run_import(path).json["articles"][0]["url"] == first


def test_folder_with_nothing_to_import_says_so(run_import, tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"x")
    result = run_import(tmp_path)
    assert "holds no .md" in result.err
