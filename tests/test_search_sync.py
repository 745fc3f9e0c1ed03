"""The index never drifts from the articles: edits, retractions and deletions show in search."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from geopol.articles.models import Access, Status
from geopol.articles.search import search_articles
from geopol.articles.services import render_article
from geopol.articles.tests.factories import ArticleFactory
from geopol.search.backends import get_backend

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [item.article.title for item in search_articles(query).items]


def test_search_follows_edits_retractions_and_deletions():
    article = ArticleFactory(title="Pipeline politics in the Caspian", body="Gas flows west.")
    assert found("caspian") == ["Pipeline politics in the Caspian"]

    article.title = "Pipeline politics in the Black Sea"
    article.save()
    assert found("caspian") == []
    assert found("black sea") == ["Pipeline politics in the Black Sea"]

    article.body = "A new paragraph about sanctions."
    article.save()
    render_article(article)
    assert found("sanctions") == ["Pipeline politics in the Black Sea"]

    article.status = Status.RETRACTED
    article.save()
    assert found("sanctions") == []

    article.status = Status.PUBLISHED
    article.save()
    assert found("sanctions") == ["Pipeline politics in the Black Sea"]

    article.delete()
    assert found("sanctions") == []
    assert get_backend().count() == 0


def test_drafts_are_not_searchable():
    ArticleFactory(title="Unfinished draft on Kashmir", status="draft")
    assert found("kashmir") == []


def test_reindex_rebuilds_from_articles():
    ArticleFactory(title="Andean lithium", body="Lithium brine in the salt flats.")
    ArticleFactory(title="Draft on cobalt", status="draft")
    get_backend().clear()
    assert found("lithium") == []
    out = io.StringIO()
    call_command("reindex_search", stdout=out)
    assert "Reindexed 2 article(s); 1 searchable." in out.getvalue()
    assert found("lithium") == ["Andean lithium"]


def test_cli_search_json_contract():
    ArticleFactory(title="Strait of Hormuz tanker seizures", body="Tankers were seized.")
    out = io.StringIO()
    call_command("search_articles", "hormuz", "--json", "--limit", "5", stdout=out)
    [result] = json.loads(out.getvalue())
    assert set(result) == {"id", "slug", "url", "title", "published", "snippet", "score"}
    assert result["url"] == f"/articles/{result['slug']}/"
    assert result["published"].endswith("Z")
    assert result["title"] == "Strait of Hormuz tanker seizures"
    # the match is in the title only, so the snippet is the start of the body
    assert result["snippet"] == "Tankers were seized."


def test_cli_search_filters():
    ArticleFactory(title="Sahel drought", body="Harvests failed.", countries=["ML"])
    ArticleFactory(title="Andes drought", body="Harvests failed.", countries=["PE"])
    out = io.StringIO()
    call_command("search_articles", "drought", "--country", "PE", "--json", stdout=out)
    assert [r["title"] for r in json.loads(out.getvalue())] == ["Andes drought"]
    out = io.StringIO()
    call_command("search_articles", "--country", "ML", "--sort", "date", stdout=out)
    assert "Sahel drought" in out.getvalue() and "Andes" not in out.getvalue()


def test_index_agrees_with_articles_after_many_edits():
    """Create, edit, retract, republish and delete; the index holds exactly what is findable."""
    articles = [
        ArticleFactory(title=f"Port strike {n}", body="Dockers walked out.") for n in range(6)
    ]
    articles[0].status = Status.RETRACTED
    articles[0].save()
    articles[1].delete()
    articles[2].title = "Harbour strike"
    articles[2].save()
    articles[3].status = Status.RETRACTED
    articles[3].save()
    articles[3].status = Status.PUBLISHED
    articles[3].save()
    expected = {a.pk for a in articles if a.pk and a.status == Status.PUBLISHED}
    assert get_backend().indexed_ids() == expected
    assert {i.article.pk for i in search_articles("dockers", limit=50).items} == expected
    assert "Harbour strike" in found("harbour")


@pytest.mark.django_db(transaction=True)
def test_the_site_keeps_serving_while_a_reindex_runs():
    """Between batches of a reindex, another connection finds every article and can write
    (a new article is indexed and found); the reindex then completes without losing it."""
    import threading

    from django.db import connection

    from geopol.articles.management.commands import reindex_search

    for n in range(3):
        ArticleFactory(title=f"Lithium in the Andes {n}", body="Brine.")
    halfway, resume = threading.Event(), threading.Event()
    errors = []

    def pause():
        halfway.set()
        resume.wait(timeout=30)

    def run():
        try:
            reindex_search.reindex(progress=False, after_batch=pause)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    original = reindex_search.BATCH
    reindex_search.BATCH = 1
    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert halfway.wait(timeout=30)
        assert len(found("lithium")) == 3  # nothing went missing mid-reindex
        ArticleFactory(title="Lithium in Chile", body="Brine.")  # a write is not blocked
        assert len(found("lithium")) == 4
    finally:
        resume.set()  # stays set: the remaining batches run through
        worker.join(timeout=60)
        reindex_search.BATCH = original
    assert not errors
    assert len(found("lithium")) == 4
    assert get_backend().count() == 4


def test_a_fresh_reindex_refills_newest_first_and_ends_complete():
    import datetime as dt

    from django.utils import timezone

    from geopol.articles.management.commands import reindex_search

    now = timezone.now()
    for years in (3, 1, 2):
        ArticleFactory(
            title=f"Copper in Zambia {years}", published_at=now - dt.timedelta(days=365 * years)
        )
    ArticleFactory(title="Copper draft", status="draft")
    seen = []
    original = reindex_search.BATCH
    reindex_search.BATCH = 1
    try:
        reindex_search.reindex(
            progress=False, fresh=True, after_batch=lambda: seen.append(sorted(found("copper")))
        )
    finally:
        reindex_search.BATCH = original
    assert seen[0] == ["Copper in Zambia 1"]  # the newest is searchable first
    assert seen[1] == ["Copper in Zambia 1", "Copper in Zambia 2"]
    assert sorted(found("copper")) == [f"Copper in Zambia {n}" for n in (1, 2, 3)]
    out = io.StringIO()
    call_command("reindex_search", "--fresh", stdout=out)
    assert "Reindexed 4 article(s); 3 searchable." in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_reindex_in_parallel_batches_indexes_everything_once():
    from geopol.articles.management.commands import reindex_search

    for n in range(7):
        # no place names: a transactional test runs on tables emptied of countries
        ArticleFactory(title=f"Cobalt prices {n}", body="Artisanal mines sell more.")
    get_backend().clear()
    original = reindex_search.BATCH
    reindex_search.BATCH = 2
    try:
        assert reindex_search.reindex(progress=False, jobs=3) == 7
    finally:
        reindex_search.BATCH = original
    assert len(found("cobalt")) == 7 and get_backend().count() == 7
    with pytest.raises(CommandError, match="--jobs must be 1 or more, not 0"):
        call_command("reindex_search", "--jobs", "0")
    err = io.StringIO()
    call_command("reindex_search", "--jobs", "4", stdout=io.StringIO(), stderr=err)
    assert "SQLite has one writer: indexing one batch at a time" in err.getvalue()
    assert len(found("cobalt")) == 7


def test_reindex_check_reports_drift():
    article = ArticleFactory(title="Andean lithium", body="Brine.")
    out = io.StringIO()
    call_command("reindex_search", "--check", stdout=out)
    assert "agrees" in out.getvalue()
    get_backend().remove([article.pk])
    out = io.StringIO()
    with pytest.raises(CommandError, match="drifted"):
        call_command("reindex_search", "--check", stdout=out)
    assert f"1 article(s) missing from the index: [{article.pk}]" in out.getvalue()


def test_topics_authors_and_editor_decisions_reach_search(admin_client):
    from geopol.articles.models import Topic
    from geopol.extraction.models import ArticleEntity, Decision

    article = ArticleFactory(title="Gas in the Levant", body="Pipelines from Cyprus.")
    topic = Topic.objects.create(name="Energy", slug="energy")
    article.topics.add(topic)
    assert found("topic:energy") == ["Gas in the Levant"]
    # an editor renames the topic in the admin: search follows
    response = admin_client.post(
        f"/admin/articles/topic/{topic.pk}/change/",
        {"name": "Energy security", "slug": "energy-security"},
    )
    assert response.status_code == 302
    assert found("topic:energy-security") == ["Gas in the Levant"]
    assert found("topic:energy") == []
    article.topics.remove(topic)
    assert found("topic:energy-security") == []

    # a members-only article: the actor the machine found is no filter for others until an
    # editor confirms it from the tag list
    brief = ArticleFactory(
        title="Members brief on the Niger bend",
        body=(
            "The northern towns have changed hands twice since the spring offensive.\n\n"
            "Ansar Dine fighters reached Konna."
        ),
        access=Access.MEMBERS,
    )
    entity = ArticleEntity.objects.get(article=brief, kind="actor", key="ansar-dine")
    assert found("actor:ansar-dine") == []
    response = admin_client.post(
        "/admin/extraction/articleentity/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(entity.pk),
            "form-0-decision": Decision.CONFIRMED,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.decision == Decision.CONFIRMED
    assert found("actor:ansar-dine") == ["Members brief on the Niger bend"]
    # the actor by its name, an alias or an acronym, as a member would type it
    for typed in ['actor:"Ansar Dine"', 'actor:"ansar eddine"', 'actor:"Ansar al-Din"']:
        assert found(typed) == ["Members brief on the Niger bend"], typed


def test_a_file_of_new_articles_is_searchable_by_its_facets(tmp_path):
    """Imports write a file's rows together; the search documents come after, with them."""
    lines = [
        {
            "title": f"Sahel brief {n}",
            "published": f"2024-05-0{n + 1}T08:00:00Z",
            "body": "Convoys crossed the border at dawn. " * 5,
            "authors": ["Amara Diallo"],
            "topics": ["Security"],
            "countries": ["ML", "NE"],
        }
        for n in range(3)
    ]
    path = tmp_path / "briefs.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    call_command("import_articles", str(path), stdout=io.StringIO())
    assert len(found("topic:security convoys")) == 3
    assert len(found('author:"Amara Diallo" country:NE')) == 3
    assert len(found("region:sub-saharan-africa from:2024-05-02")) == 2
    assert get_backend().count() == 3


def test_cli_search_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--from 'never' is not a date"):
        call_command("search_articles", "mali", "--from", "never", stdout=io.StringIO())
