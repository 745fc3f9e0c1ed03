"""The lenient front door (issue 13 item 6): what `geopol import` says about front matter that
is nearly right, read through the real command and the real readers."""

import json

import pytest

from geopol.articles.importers import InputError
from geopol.articles.importers.markdown import read_markdown
from geopol.articles.models import Article, Revision

BODY = (
    "Islamist fighters took Konna on Thursday, the last town before the airport at Sevare.\n\n"
    "French officials said a response was being prepared in Paris.\n"
)
KNOWN = (
    "access, authors, countries, figures, judgments, published, slug, source_url, status, "
    "teaser, title, topics, type"
)


def write(path, front_matter: str, body: str = BODY):
    path.write_text(f"---\n{front_matter.strip()}\n---\n\n{body}", encoding="utf-8")
    return path


def test_a_title_holding_colon_space_imports_with_a_warning(run_import, tmp_path):
    path = write(tmp_path / "mali.md", "title: Mali: A Possible Prelude\npublished: 2013-01-11")
    result = run_import(path, as_json=False)
    assert result.status == 0
    assert result.err.strip() == (
        f"warning: {path}:2: the value of 'title' holds ': ' unquoted; read as the text "
        "'Mali: A Possible Prelude'. Put the value in quotes to say so and silence this warning"
    )
    assert result.out.strip() == (
        "1 file(s): 1 created, 0 updated, 0 unchanged, 0 failed, 1 warning(s)"
    )
    assert Article.objects.get().title == "Mali: A Possible Prelude"


def test_warnings_are_in_the_json_summary_and_not_part_of_the_article(run_import, tmp_path):
    path = write(tmp_path / "mali.md", "title: Mali: A Possible Prelude\npublished: 2013-01-11")
    first = run_import(path)
    assert first.json["warnings"] == [
        {
            "file": str(path),
            "line": 2,
            "reason": "the value of 'title' holds ': ' unquoted; read as the text "
            "'Mali: A Possible Prelude'. Put the value in quotes to say so and silence this "
            "warning",
        }
    ]
    assert run_import(path).json["unchanged"] == 1
    # quoting the title silences the warning and changes nothing in the article
    write(path, 'title: "Mali: A Possible Prelude"\npublished: 2013-01-11')
    quoted = run_import(path)
    assert (quoted.json["unchanged"], quoted.json["warnings"]) == (1, [])
    assert Revision.objects.count() == 1


def test_a_colon_in_a_nested_value_is_read_too():
    [article] = read_markdown(
        "---\ntitle: Mali\npublished: 2013-01-11\n"
        "figures:\n  - id: front\n    caption: Konna: the front line\n---\n\nText.\n"
    )
    assert article.figures[0].caption == "Konna: the front line"
    assert [w.line for w in article.warnings] == [6]


def test_a_misspelt_key_is_refused_with_the_nearest_and_the_known_keys(run_import, tmp_path):
    path = write(tmp_path / "mali.md", "title: Mali\npublished: 2013-01-11\nacess: members")
    result = run_import(path)
    assert result.status == 1
    assert result.err.strip() == (
        f"error: {path}:4: unknown key 'acess' (did you mean 'access'?). The keys are "
        f"{KNOWN}. A key meant for another tool must start with 'x-'. Nothing of this file "
        "was imported"
    )
    assert Article.objects.count() == 0


def test_a_capitalised_key_is_refused_saying_keys_are_lower_case(run_import, tmp_path):
    path = write(tmp_path / "mali.md", "title: Mali\nAccess: members\npublished: 2013-01-11")
    result = run_import(path)
    assert result.status == 1
    assert result.err.startswith(
        f"error: {path}:3: unknown key 'Access' (keys are lower case: did you mean 'access'?)."
    )


def test_a_key_given_twice_is_refused_with_both_lines(run_import, tmp_path):
    path = write(
        tmp_path / "mali.md",
        "title: Mali\naccess: members\npublished: 2013-01-11\naccess: public",
    )
    result = run_import(path)
    assert result.status == 1
    assert result.err.strip() == (
        f"error: {path}:5: front matter: the key 'access' is given twice (lines 3 and 5); "
        "keep one (YAML would silently keep the last)"
    )
    assert Article.objects.count() == 0


def test_an_error_names_the_line_of_its_key(run_import, tmp_path):
    path = write(
        tmp_path / "mali.md", "title: Mali\npublished: 2013-01-11\ntype: analysis\naccess: member"
    )
    result = run_import(path)
    assert result.err.strip() == (
        f"error: {path}:5: field 'access': 'member' is not one of public, registered, members"
    )


def test_a_refused_file_leaves_what_is_stored_as_it_was(run_import, tmp_path):
    path = write(
        tmp_path / "mali.md",
        "title: Mali\npublished: 2013-01-11\naccess: members\nsource_url: https://e.org/m",
    )
    assert run_import(path).json["created"] == 1
    stored = Article.objects.get()
    before = (stored.access, stored.body, stored.title, stored.content_hash)
    # the corrected version: the body changes and the typo would have made it public
    write(
        path,
        "title: Mali, Revised\npublished: 2013-01-11\nacess: members\nsource_url: https://e.org/m",
        body=BODY + "\nA new paragraph.\n",
    )
    result = run_import(path)
    assert (result.status, result.json["failed"], result.json["updated"]) == (1, 1, 0)
    stored.refresh_from_db()
    assert (stored.access, stored.body, stored.title, stored.content_hash) == before
    assert Revision.objects.count() == 1


def test_extension_keys_are_left_alone_and_change_nothing(run_import, tmp_path):
    path = write(tmp_path / "mali.md", "title: Mali\npublished: 2013-01-11")
    assert run_import(path).json["created"] == 1
    write(
        path,
        "title: Mali\npublished: 2013-01-11\nx-region: Sub-Saharan Africa\n"
        "x-gold:\n  countries:\n    - {code: ML, primary: true}",
    )
    again = run_import(path)
    assert (again.status, again.json["unchanged"], again.json["warnings"]) == (0, 1, [])


def test_a_body_key_in_markdown_is_refused():
    with pytest.raises(InputError) as caught:
        read_markdown("---\ntitle: T\npublished: 2020-01-01\nbody: Text\n---\nText.\n")
    assert caught.value.line == 4
    assert caught.value.reason.startswith("'body' is a JSON Lines key")


def test_yaml_aliases_are_still_refused():
    with pytest.raises(InputError) as caught:
        read_markdown("---\ntitle: &t T\npublished: 2020-01-01\nteaser: *t\n---\nText.\n")
    assert caught.value.line == 4
    assert "aliases" in caught.value.reason


def test_a_colon_yaml_cannot_read_for_another_reason_is_still_an_error():
    with pytest.raises(InputError) as caught:
        read_markdown("---\ntitle: Mali\n  sub: x\npublished: 2020-01-01\n---\nText.\n")
    assert (caught.value.line, caught.value.reason) == (
        3,
        "front matter: mapping values are not allowed here",
    )


def test_jsonl_refuses_misspelt_and_repeated_keys(run_import, tmp_path):
    path = tmp_path / "wire.jsonl"
    good = {"title": "Fine", "published": "2020-01-01", "body": "Text."}
    typo = json.dumps(good | {"title": "Typo", "acess": "members"})
    path.write_text(json.dumps(good) + "\n" + typo + "\n")
    result = run_import(path)
    assert result.status == 1
    assert result.err.startswith(f"error: {path}:2: unknown key 'acess' (did you mean 'access'?)")
    twice = '{"title": "T", "published": "2020-01-01", "body": "x", "access": "members", '
    path.write_text(twice + '"access": "public"}\n')
    assert run_import(path).err.strip() == (
        f"error: {path}:1: the key 'access' is given twice in one object; keep one "
        "(JSON would silently keep the last)"
    )
    assert Article.objects.count() == 0
