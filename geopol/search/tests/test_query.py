import re

import pytest

from geopol.search.query import MAX_QUERY_CHARS, parse_query, to_fts5


def test_words_are_anded_and_quoted():
    assert to_fts5(parse_query("mali france")) == '"mali" AND "france"'


def test_phrase_or_prefix_and_exclusion():
    parsed = parse_query('"west africa" sahel OR sahara jihad* -niger')
    assert to_fts5(parsed) == ('("west africa" AND ("sahel" OR "sahara") AND "jihad"*) NOT "niger"')
    assert parsed.note == ""


def test_hyphenated_and_dotted_names_stay_together_as_phrases():
    assert to_fts5(parse_query("al-Qaeda U.S.")) == '"al Qaeda" AND "U S"'


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ('"unbalanced quote', "unmatched quote"),
        ("OR mali", "lone OR"),
        ("mali OR", "trailing OR"),
        ("x" * (MAX_QUERY_CHARS + 10), "cut to its first"),
        ("-only -negatives", "at least one word"),
    ],
)
def test_malformed_queries_degrade_and_say_so(query, note):
    parsed = parse_query(query)
    assert note in parsed.note


@pytest.mark.parametrize(
    "query",
    [
        "NEAR(a b)",
        "a:b",
        "^start",
        "col:mali",
        "(((",
        "*",
        '""',
        "a AND",
        "NOT",
        "{x}",
        "'; DROP TABLE x; --",
    ],
)
def test_fts5_syntax_in_input_is_inert(query):
    expression = to_fts5(parse_query(query))
    # outside double quotes only our own operators remain: input syntax has no effect
    outside = re.sub(r'"[^"]*"\*?', " ", expression)
    assert set(outside.split()) <= {"AND", "OR", "NOT", "(", ")"}, expression


def test_negated_phrase_and_words_containing_or():
    assert to_fts5(parse_query('mali -"west africa"')) == '("mali") NOT "west africa"'
    parsed = parse_query("OR NORAD")
    assert to_fts5(parsed) == '"NORAD"' and "lone OR" in parsed.note


def test_field_filters_and_dates():
    import datetime as dt

    parsed = parse_query('mali country:ML region:"Sub-Saharan Africa" from:2012-01 to:2013-06')
    assert parsed.filters == [("country", "ML"), ("region", "Sub-Saharan Africa")]
    assert parsed.date_from == dt.datetime(2012, 1, 1, tzinfo=dt.UTC)
    assert parsed.date_to == dt.datetime(2013, 7, 1, tzinfo=dt.UTC)  # June included
    assert to_fts5(parsed) == '"mali"'


def test_filters_alone_select_and_bad_dates_say_so():
    parsed = parse_query("type:forecast")
    assert parsed.is_empty and parsed.filters == [("type", "forecast")]
    parsed = parse_query("mali from:someday")
    assert "not a date" in parsed.note and parsed.date_from is None
    assert parse_query("to:2013").date_to.year == 2014
    assert parse_query("unknownfield:x").filters == []  # words, not a filter


def test_word_families():
    from geopol.search.query import family_base

    assert family_base("intervene") == family_base("intervention") == "interven"
    assert family_base("negotiations") == "negoti"
    assert family_base("sanctions") == "sanction"
    assert family_base("Mali") == "" and family_base("state") == ""
    assert to_fts5(parse_query("intervene")) == '("intervene" OR "interven"*)'


def test_degraded_queries_keep_their_filters():
    parsed = parse_query("OR mali country:ML from:2012")
    assert "lone OR" in parsed.note
    assert parsed.filters == [("country", "ML")] and parsed.date_from.year == 2012
    assert to_fts5(parsed) == '"mali"'
    parsed = parse_query('"unbalanced mali to:2013')
    assert parsed.date_to.year == 2014 and parsed.positive_words() == ["unbalanced", "mali"]
    assert parse_query("FROM:2012").dates == [("from", "2012")]


def test_and_is_accepted_as_the_default_operator():
    parsed = parse_query("Mali AND France")
    assert [[t.words for t in c] for c in parsed.clauses] == [[("Mali",)], [("France",)]]
    assert parsed.note == ""
    lower = parse_query("war and peace")  # a lower-case "and" is a word
    assert [c[0].words for c in lower.clauses] == [("war",), ("and",), ("peace",)]


def test_not_excludes_like_a_dash():
    parsed = parse_query("Mali NOT France")
    assert [(c[0].words, c[0].negated) for c in parsed.clauses] == [
        (("Mali",), False),
        (("France",), True),
    ]
    assert parse_query('Mali NOT "Ansar Dine"').clauses[1][0].negated
    assert parse_query("Mali NOT").note == "A trailing NOT was ignored."
    assert parse_query("NOT France").note.startswith("A search needs at least one word")
