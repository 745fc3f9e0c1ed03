"""The format readers, without a database."""

import datetime as dt
from pathlib import Path

import pytest

from geopol.articles.importers import InputError, read_file
from geopol.articles.importers.html import read_html
from geopol.articles.importers.jsonl import read_jsonl
from geopol.articles.importers.markdown import read_markdown
from geopol.articles.importers.pagedump import read_pagedump

FIXTURES = Path(__file__).parent / "fixtures"
LIMIT = 10 * 1024 * 1024


def test_pagedump_reads_dateline_title_body_and_figure():
    [article] = read_pagedump((FIXTURES / "pagedump_harbour.txt").read_text())
    assert article.published == dt.datetime(2015, 3, 4, 9, 30, tzinfo=dt.UTC)
    assert article.title == "Somalia: Militants Test the Defences of a Southern Port"
    paragraphs = article.body.strip().split("\n\n")
    assert paragraphs[0].startswith("Fighters loyal to al Shabaab")
    assert paragraphs[1] == "{{figure figure-1}}"
    assert paragraphs[2].startswith("The port matters")
    assert len(paragraphs) == 3
    assert [(f.kind, f.caption) for f in article.figures] == [("map", "Lower Juba Checkpoints")]


def test_pagedump_drops_page_chrome():
    [article] = read_pagedump((FIXTURES / "pagedump_harbour.txt").read_text())
    for chrome in (
        "Connected Content",
        "Regions & Countries",
        "Article Search",
        "Copyright",
        "Geopol Test",
        "Analysis you can act on",
    ):
        assert chrome not in article.body
    assert article.title not in article.body


def test_pagedump_needs_a_dateline():
    with pytest.raises(InputError) as error:
        read_pagedump("Yesterday afternoon\n\nA title\n\nSome text here.")
    assert error.value.line == 1
    assert "dateline" in error.value.reason


def test_markdown_front_matter():
    [article] = read_markdown(
        "---\ntitle: 'Chad: A Transition Without End'\npublished: 2021-04-21T08:00:00+02:00\n"
        "type: assessment\naccess: members\nauthors: [Ada Nwosu]\ncountries: [td, ne]\n---\n\n"
        "The body.\n"
    )
    assert article.title == "Chad: A Transition Without End"
    assert article.published == dt.datetime(2021, 4, 21, 6, 0, tzinfo=dt.UTC)
    assert (article.type, article.access) == ("assessment", "members")
    assert article.countries == ["TD", "NE"]
    assert article.authors == ["Ada Nwosu"]


def test_markdown_date_without_offset_is_utc():
    [article] = read_markdown("---\ntitle: T\npublished: 2020-01-02 03:04\n---\nText.\n")
    assert article.published == dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        ("no front matter\n", "front matter", 1),
        ("---\ntitle: T\n", "never closed", 1),
        ("---\ntitle: [unclosed\npublished: 2020-01-01\n---\nx\n", "front matter", None),
        ("---\npublished: 2020-01-01\n---\nText\n", "no title", None),
        ("---\ntitle: T\npublished: last Tuesday\n---\nText\n", "published", None),
        ("---\ntitle: T\npublished: 2020-01-01\ntype: rumour\n---\nText\n", "type", None),
        ("---\ntitle: T\npublished: 2020-01-01\n---\n\n", "no body", None),
    ],
)
def test_markdown_errors_say_what_is_wrong(text, reason, line):
    with pytest.raises(InputError) as error:
        read_markdown(text)
    assert reason in error.value.reason
    if line is not None:
        assert error.value.line == line


def test_jsonl_reads_every_line():
    articles = read_jsonl(
        '{"title": "One", "published": "2019-01-01", "body": "First."}\n\n'
        '{"title": "Two", "published": "2019-01-02T10:00:00Z", "body": "Second.", '
        '"countries": ["SN"]}\n'
    )
    assert [a.title for a in articles] == ["One", "Two"]
    assert [a.line for a in articles] == [1, 3]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('["a", "list"]', "expected a JSON object, got list"),
        ("42", "expected a JSON object, got int"),
        ('{"title": "x", "published": "2019-01-01"', "invalid JSON"),
        ('{"title": "x", "published": "2019-01-01"}', "'body'"),
        ('{"title": "", "published": "2019-01-01", "body": "b"}', "no title"),
    ],
)
def test_jsonl_errors_name_the_line(line, reason):
    good = '{"title": "Good", "published": "2019-01-01", "body": "Fine."}'
    with pytest.raises(InputError) as error:
        read_jsonl(f"{good}\n{line}\n")
    assert reason in error.value.reason
    assert error.value.line == 2


def test_html_page_main_text_and_metadata():
    page = """<!doctype html><html><head><title>Site | Ignored</title>
    <meta property="og:title" content="Peru: Congress and the Presidency Collide">
    <meta property="article:published_time" content="2019-10-01T14:20:00Z">
    <meta name="author" content="Lucia Ferreyra">
    <meta name="description" content="A constitutional standoff in Lima.">
    </head><body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
    <article><h1>Peru: Congress and the Presidency Collide</h1>
    <p>President Martin Vizcarra dissolved Congress on Sept. 30, invoking a constitutional
    clause that lets the executive close a legislature that twice refuses a confidence vote.</p>
    <p>Lawmakers answered by suspending him and swearing in his vice president, leaving Peru
    with two claimants to executive authority for a few confused hours.</p>
    <p>The armed forces and police recognised Vizcarra, which settled the matter in practice;
    the courts will probably be asked to settle it in law over the coming months.</p>
    </article><footer>Copyright Example Media. Newsletter sign-up.</footer></body></html>"""
    [article] = read_html(page)
    assert article.title == "Peru: Congress and the Presidency Collide"
    assert article.published == dt.datetime(2019, 10, 1, 14, 20, tzinfo=dt.UTC)
    assert article.authors == ["Lucia Ferreyra"]
    assert "dissolved Congress" in article.body
    assert "armed forces and police" in article.body
    assert "Newsletter" not in article.body
    assert "About us" not in article.body


def test_html_page_keeps_its_tags_beside_its_section():
    page = """<!doctype html><html><head><title>Gulf | Example</title>
    <meta property="og:title" content="Gulf: Tankers Under Fire">
    <meta property="article:published_time" content="2019-06-13T09:45:00+02:00">
    <meta property="article:section" content="Middle East">
    <meta property="article:tag" content="Energy">
    <meta property="article:tag" content="Shipping">
    </head><body><article><h1>Gulf: Tankers Under Fire</h1>
    <p>Two tankers were struck in the Gulf of Oman on Thursday morning, the second such
    incident in a month, and both crews were taken off by passing ships.</p>
    <p>Insurers raised war-risk premiums for the Strait of Hormuz within hours; freight
    rates for crude carriers leaving the Gulf rose by a tenth.</p></article></body></html>"""
    [article] = read_html(page)
    assert article.topics == ["Middle East", "Energy", "Shipping"]
    # the time of day comes from the page's own metadata (trafilatura keeps only the date)
    assert article.published == dt.datetime(2019, 6, 13, 7, 45, tzinfo=dt.UTC)


def test_read_file_rejects_binary_empty_invalid_utf8_and_large(tmp_path):
    cases = {
        "empty.md": (b"", "empty"),
        "blank.md": (b"\n  \n", "empty"),
        "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        "latin1.md": ("---\ntitle: Caf\xe9\n".encode("latin-1"), "invalid UTF-8"),
        "big.jsonl": (b"x" * 2048, "limit"),
        "notes.docx": (b"text", "unknown file type"),
    }
    for name, (content, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError) as error:
            read_file(path, max_bytes=1024)
        assert reason in error.value.reason, name
    path = tmp_path / "latin1.md"
    with pytest.raises(InputError) as error:
        read_file(path, max_bytes=LIMIT)
    assert error.value.line == 2
