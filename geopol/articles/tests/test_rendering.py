"""The sanitizer against hostile Markdown and HTML, and figure placement."""

from html.parser import HTMLParser

import pytest

from geopol.articles.rendering import (
    ALLOWED_TAGS,
    FigureView,
    first_paragraph,
    plain_text,
    render_body,
)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.elements


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    '<form action="https://evil.example"><input name="password"></form>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_is_neutralised(source):
    html = render_body(f"Intro paragraph.\n\n{source}\n\nOutro.", [])
    assert "Intro paragraph." in html
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in ("href", "src"):
                assert value.startswith(("http://", "https://", "mailto:", "/")) or (
                    ":" not in value
                ), html


def test_safe_markup_survives():
    html = render_body(
        "## Key judgments\n\n- **Likely**: talks resume\n- *Unlikely*: a ceasefire\n\n"
        '> A quoted line.\n\n[Source](https://example.org/report "Report")\n\n'
        "| Actor | Role |\n| --- | --- |\n| ECOWAS | mediator |\n",
        [],
    )
    assert "<h2>Key judgments</h2>" in html
    assert "<strong>Likely</strong>" in html and "<em>Unlikely</em>" in html
    assert "<blockquote>" in html and "<table>" in html
    assert 'href="https://example.org/report"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_h1_in_body_becomes_h2_so_the_title_stays_the_only_h1():
    assert "<h1" not in render_body("# A heading\n\ntext", [])


def test_figures_in_place_and_unplaced_at_the_end():
    figures = [
        FigureView("front", "map", "The front line"),
        FigureView("extra", "image", "A <b>photo</b>", src="/media/p.jpg", alt="Troops"),
    ]
    html = render_body("First.\n\n{{figure front}}\n\nSecond.", figures)
    assert html.index("First.") < html.index("The front line") < html.index("Second.")
    assert html.index("Second.") < html.index('<img src="/media/p.jpg" alt="Troops"')
    assert "A &lt;b&gt;photo&lt;/b&gt;" in html


def test_figure_with_unsafe_src_shows_no_image():
    html = render_body("x", [FigureView("f", "image", "c", src="javascript:alert(1)")])
    assert "<img" not in html and "javascript" not in html


def test_plain_text_and_teaser():
    source = "## Heading\n\nShort.\n\nThe first real paragraph has more than eight words in it.\n"
    assert plain_text(source).startswith("Heading")
    assert first_paragraph(source) == "The first real paragraph has more than eight words in it."


def test_the_search_text_from_stored_html_is_the_text_of_the_markdown(run_import):
    """A full reindex reads the body's text from the stored HTML instead of parsing the
    Markdown again: for every demo analysis (figures, tables, lists) it is the same text."""
    from pathlib import Path

    from geopol.articles.models import Article
    from geopol.articles.rendering import plain_text, plain_text_of_html

    assert run_import(Path(__file__).parents[1] / "demo").status == 0
    articles = list(Article.objects.all())
    assert len(articles) > 30 and any(a.figures.exists() for a in articles)
    for article in articles:
        assert plain_text_of_html(article.body_html) == plain_text(article.body), article.slug
