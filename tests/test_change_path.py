"""The change path (articles/changes.py): one ArticleChange per save, imported file or bulk
action, delivered to the declared subscribers in order; each subscriber works alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from geopol.articles import changes, pagecache, services
from geopol.articles.changes import ArticleChange, Aspect, ChangedArticle
from geopol.articles.importers import ArticleData
from geopol.articles.models import Article, Status
from geopol.articles.search import search_articles
from geopol.articles.services import import_articles
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction import receivers as extraction_receivers
from geopol.extraction.models import ArticleEntity
from geopol.follows import receivers as follows_receivers

pytestmark = pytest.mark.django_db

BODY = "Jihadists of JNIM struck an army post near Mopti in central Mali on Sunday."


@pytest.fixture
def seen(monkeypatch):
    """A subscriber at the `related` stage (between indexing and pages), recording each
    change with what the earlier stages had written when it arrived."""
    received: list[tuple[ArticleChange, dict]] = []

    def spy(change: ArticleChange) -> None:
        state = {
            "tagged": ArticleEntity.objects.filter(article_id__in=change.ids).count(),
            "found": [i.article.pk for i in search_articles("mopti", limit=50).items],
        }
        received.append((change, state))

    by_stage = {name: list(found) for name, found in changes._registry.by_stage.items()}
    by_stage["related"].append(spy)
    monkeypatch.setattr(changes._registry, "by_stage", by_stage)
    return received


def item(n: int, **extra) -> ArticleData:
    fields = {
        "title": f"Mali: Attack {n}",
        "body": BODY,
        "published": dt.datetime(2024, 3, n, 8, tzinfo=dt.UTC),
        "countries": ["ML"],
        "source_url": f"https://example.org/mali-{n}",
    }
    return ArticleData(**(fields | extra))


def test_the_subscribers_are_declared_in_order():
    assert [(stage, s.__qualname__) for stage, s in changes.subscribers()] == [
        ("tagging", "tag_changed_articles"),
        ("indexing", "index_change"),
        ("related", "forget_changed_lists"),
        ("pages", "invalidate_pages"),
        ("alerts", "match_published"),
    ]
    assert [s.name for s in changes.STAGES if s.after_commit] == ["pages", "alerts"]
    with pytest.raises(ValueError, match="unknown change stage 'relatd'"):
        changes.subscribe("relatd", print)


def test_an_imported_file_is_one_change_after_its_tags_and_index(seen):
    results = import_articles([item(1), item(2), item(3)])
    [(change, state)] = seen
    assert change.source == "import"
    assert change.ids == [a.pk for a, _ in results]
    assert all(i.created and Aspect.TEXT in i.aspects for i in change.items)
    assert change.items[0].editor_countries == ("ML",)
    assert "Mopti" in change.items[0].plain_text
    # tagging and indexing ran before this stage
    assert state["tagged"] > 0
    assert sorted(state["found"]) == sorted(change.ids)
    # the instances carry nothing for other apps
    for article, _ in results:
        assert not [name for name in vars(article) if name.startswith("_") and name != "_state"]


def test_an_update_in_a_file_is_one_change_not_created(seen):
    import_articles([item(1)])
    import_articles([item(1, title="Mali: Attack on Mopti"), item(2)])
    [_, (change, _)] = seen
    assert [i.created for i in change.items] == [False, True]


def test_the_last_stages_wait_for_the_commit_and_skip_a_rollback(
    seen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        import_articles([item(1)])
    delivered = [c.subscriber.__name__ for c in callbacks if hasattr(c, "subscriber")]
    assert delivered == ["invalidate_pages", "match_published"]
    queued = [c.__name__ for c in callbacks if not hasattr(c, "subscriber")]
    assert queued == ["enqueue_storylines"], "an import's storylines wait for the worker"
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        import_articles([item(2)])
        raise RuntimeError("the import failed later")
    assert callbacks == []
    assert Article.objects.count() == 1


def test_an_admin_save_and_a_bulk_action_are_one_change_each(client, seen):
    client.force_login(User.objects.create_superuser("ed", "ed@example.org", "pw-tests-1"))
    drafts = [ArticleFactory(status=Status.DRAFT, body=BODY) for _ in range(2)]
    seen.clear()
    client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [a.pk for a in drafts]},
    )
    [(change, state)] = seen
    assert change.source == "admin" and sorted(change.ids) == sorted(a.pk for a in drafts)
    assert sorted(state["found"]) == sorted(change.ids)  # indexed before this stage

    seen.clear()  # a new article with a country tag and a figure, through the form
    response = client.post(
        "/admin/articles/article/add/",
        {
            "title": "Mali: A Form",
            "slug": "mali-a-form",
            "type": "analysis",
            "teaser": "",
            "body": BODY,
            "status": "published",
            "published_at_0": "2024-03-01",
            "published_at_1": "08:00:00",
            "access": "public",
            "country_links-TOTAL_FORMS": "1",
            "country_links-INITIAL_FORMS": "0",
            "country_links-0-country": "ML",
            "country_links-0-position": "0",
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "0",
            "figures-0-key": "road",
            "figures-0-kind": "image",
            "figures-0-position": "0",
            "figures-0-caption": "The road to Mopti",
            "figures-0-src": "https://example.org/map.png",
            "figures-0-alt": "A map",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "entities-TOTAL_FORMS": "0",
            "entities-INITIAL_FORMS": "0",
            "judgments-TOTAL_FORMS": "0",
            "judgments-INITIAL_FORMS": "0",
            "curations-TOTAL_FORMS": "0",
            "curations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="mali-a-form")
    [(change, state)] = seen
    assert change.ids == [article.pk]
    assert change.items[0].aspects >= {Aspect.RECORD, Aspect.TEXT, Aspect.TAGS}
    assert change.items[0].created
    assert state["tagged"] > 0 and article.pk in state["found"]


def test_a_save_outside_the_services_is_a_change_of_its_own(seen):
    article = ArticleFactory(body=BODY)
    seen.clear()
    article.title = "Mali: Retitled"
    article.save()
    [(change, _)] = seen
    assert change.source == "save" and change.items[0].aspects == {Aspect.RECORD}
    article.delete()
    [_, (change, _)] = seen
    assert change.source == "delete" and change.items[0].removed


def test_indexing_alone():
    article = ArticleFactory(title="Port strike in Mombasa", body="Dockers walked out.")
    Article.objects.filter(pk=article.pk).update(title="Dock strike in Mombasa")
    article.refresh_from_db()
    services.index_change(
        ArticleChange((ChangedArticle(article.pk, None, frozenset({Aspect.RECORD})),))
    )
    assert [i.article.title for i in search_articles("dock").items] == ["Dock strike in Mombasa"]
    services.index_change(
        ArticleChange((ChangedArticle(article.pk, None, frozenset({Aspect.REMOVED})),))
    )
    assert search_articles("mombasa").items == []


def test_tagging_alone_uses_what_the_writer_knew():
    article = ArticleFactory(body="Nothing to find here.")
    known = ChangedArticle(
        article.pk, article, frozenset({Aspect.TEXT}), plain_text=BODY, editor_countries=()
    )
    extraction_receivers.tag_changed_articles(ArticleChange((known,)))
    keys = set(ArticleEntity.objects.filter(article=article).values_list("key", flat=True))
    assert "ML" in keys  # read from the text in the record, not from the stored body


def test_pages_alone():
    """An article whose earlier countries are known gets new tokens for itself, its
    countries and the listings, and every other page keeps its generation."""
    article, other = ArticleFactory(countries=["ML"]), ArticleFactory(countries=["PE"])
    generation = pagecache.current_generation()
    token, codes = pagecache._article_entry(article.pk)
    other_token = pagecache._article_entry(other.pk)
    mali, peru = pagecache._country_tokens(("ML",)), pagecache._country_tokens(("PE",))
    listings = pagecache.listings_token()
    pagecache.invalidate_pages(
        ArticleChange((ChangedArticle(article.pk, article, frozenset({Aspect.RECORD})),))
    )
    assert codes == ("ML",)
    assert pagecache.current_generation() == generation
    assert pagecache._article_entry(article.pk)[0] != token
    assert pagecache._article_entry(other.pk) == other_token
    assert pagecache._country_tokens(("ML",)) != mali
    assert pagecache._country_tokens(("PE",)) == peru
    assert pagecache.listings_token() != listings


def test_pages_alone_of_an_article_never_seen_renew_every_page():
    article = ArticleFactory()
    before = pagecache.current_generation()
    pagecache.invalidate_pages(ArticleChange((ChangedArticle(article.pk, article, frozenset()),)))
    assert pagecache.current_generation() != before


def test_alerts_alone_match_only_new_visible_text():
    from django_tasks_db.models import DBTaskResult

    fresh = ArticleFactory()
    draft = ArticleFactory(status=Status.DRAFT)
    DBTaskResult.objects.all().delete()
    follows_receivers.match_published(
        ArticleChange(
            (
                ChangedArticle(fresh.pk, fresh, frozenset({Aspect.TEXT})),
                ChangedArticle(draft.pk, draft, frozenset({Aspect.TEXT})),
                ChangedArticle(fresh.pk, None, frozenset({Aspect.TAGS})),
            )
        )
    )
    queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert queued == [("geopol.follows.tasks.match_article", {"args": [fresh.pk], "kwargs": {}})]


def test_a_failing_page_step_still_queues_the_alerts(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The review found a page-cache error after the commit stopped the alerts stage."""
    queued: list[ArticleChange] = []

    def broken_pages(change: ArticleChange) -> None:
        raise ConnectionError("the shared cache is down")

    by_stage = {name: list(found) for name, found in changes._registry.by_stage.items()}
    by_stage["pages"] = [broken_pages]
    by_stage["alerts"] = [queued.append]
    monkeypatch.setattr(changes._registry, "by_stage", by_stage)
    with django_capture_on_commit_callbacks(execute=True):
        import_articles([item(3)])
    assert [c.ids for c in queued] == [[Article.objects.get().pk]]
