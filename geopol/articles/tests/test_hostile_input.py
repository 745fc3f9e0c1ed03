"""Hostile or careless input to the importers (issue 15, items 3, 9, 10 and 11): refused with one
line naming the field or line, before anything can grow without bound; no database needed."""

import json

import pytest

from geopol.articles.importers import InputError
from geopol.articles.importers.base import MAX_NESTING, from_mapping
from geopol.articles.importers.jsonl import read_jsonl
from geopol.articles.importers.markdown import read_markdown


def _md(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}\n---\n\n{body}"


def test_yaml_aliases_are_refused_on_their_line():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    text = _md(f"title: Laughs\npublished: 2024-01-01\n{laughs}type: *b")
    with pytest.raises(InputError) as caught:
        read_markdown(text)
    assert "aliases" in caught.value.reason and "*a" in caught.value.reason
    assert caught.value.line == 5  # the first alias (b: *a), counted in the file
    assert "\n" not in caught.value.reason and len(caught.value.reason) < 200


def test_deep_html_nesting_is_refused_before_sanitizing_with_its_line():
    body = "Opening paragraph.\n\n" + "<div>" * 60_000 + "deep" + "</div>" * 60_000 + "\n"
    with pytest.raises(InputError) as caught:
        read_markdown(_md("title: Deep\npublished: 2024-01-01", body))
    assert f"more than {MAX_NESTING} deep" in caught.value.reason
    assert caught.value.line == 8  # front matter on lines 1-4, the divs on line 8


def test_ordinary_nesting_and_unclosed_paragraphs_pass():
    body = "<div><section>" * 20 + "ok" + "</section></div>" * 20 + "\n" + "<p>para\n" * 500
    [article] = read_markdown(_md("title: Fine\npublished: 2024-01-01", body))
    assert "ok" in article.body


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ('{"title": NaN, "published": "2024-01-01", "body": "x"}', ["NaN", "not JSON"]),
        (
            '{"title": "T", "published": "2024-01-01", "body": "x", "teaser": {"a": 1}}',
            ["'teaser'", "must be text", "dict"],
        ),
        (
            json.dumps({"title": "T" * 301, "published": "2024-01-01", "body": "x"}),
            ["'title'", "301 characters", "300"],
        ),
        (
            json.dumps(
                {"title": "T", "published": "2024-01-01", "body": "x", "authors": ["A" * 121]}
            ),
            ["'authors'", "121 characters"],
        ),
        (
            json.dumps({"title": "T", "published": "2024-01-01", "body": "x", "slug": "s" * 101}),
            ["'slug'", "over the 100"],
        ),
        ("[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
    ],
)
def test_field_errors_name_the_field_and_line(record, words):
    with pytest.raises(InputError) as caught:
        read_jsonl('{"title": "Fine", "published": "2024-01-01", "body": "x"}\n' + record + "\n")
    assert caught.value.line == 2
    for word in words:
        assert word in caught.value.reason


def test_a_long_bad_value_is_quoted_short():
    with pytest.raises(InputError) as caught:
        from_mapping({"title": "T", "published": "2024-01-01", "type": "x" * 10_000}, "Body.")
    assert "'type'" in caught.value.reason and len(caught.value.reason) < 200


def test_invisible_and_direction_characters_are_dropped_from_titles():
    title = "Mali:\u202e reversed\u200b hidden\u2066 isolate\ufeff"
    article = from_mapping({"title": title, "published": "2024-01-01"}, "Body.")
    assert article.title == "Mali: reversed hidden isolate"
