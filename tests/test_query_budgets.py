"""Every list a reader, an editor or a client opens is paginated by the database: its page costs
the same number of SQL queries at 80 articles as at 240, within a budget, and asking for a huge
page gets a capped one. (Issue 15: `/api/v1/articles?limit=1` built all 4,044 summaries in
4,047 queries.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geopol.articles.importers.base import from_mapping
from geopol.articles.services import import_articles

pytestmark = pytest.mark.django_db(transaction=False)

COUNTRIES = [["ML", "FR"], ["ML"], ["NE", "ML", "DZ"], ["FR"], ["UA", "RU"]]
START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

# path -> most queries its page may take, whatever the number of articles
BUDGETS = {
    "/api/v1/articles?limit=20": 6,
    "/api/v1/actors?limit=20": 8,
    "/api/v1/persons?limit=20": 8,
    "/api/v1/places?limit=20": 6,
    "/api/v1/articles?country=ML&limit=20": 7,
    "/api/v1/articles?region=sub-saharan-africa&limit=20": 7,
    "/": 30,
    "/countries/mali/": 30,
    "/regions/sub-saharan-africa/": 30,
    "/topics/security/": 30,
    "/authors/test-analyst/": 30,
    "/feeds/latest.atom": 10,
    "/countries/mali/feed.atom": 10,
    "/regions/sub-saharan-africa/feed.rss": 10,
    "/topics/security/feed.atom": 10,
    "/actors/": 20,
    "/actors/?kind=armed-group&country=ML&letter=A": 20,
    "/persons/": 20,
    "/persons/?q=a&page=2": 20,
    "/sitemap.xml": 12,
    "/sitemap-articles.xml": 12,
    "/sitemap-countries.xml": 12,
    "/my/": 30,
    "/my/reading-list/": 30,
    "/feeds/private/{token}.atom": 12,
}
ADMIN_LIST_BUDGET = 20  # every admin changelist, whatever its model


def admin_changelists() -> list[str]:
    from django.contrib import admin
    from django.urls import reverse

    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def add_articles(first: int, count: int) -> None:
    items = []
    for n in range(first, first + count):
        meta = {
            "title": f"Sahel analysis number {n}",
            "published": (START + dt.timedelta(hours=n)).isoformat(),
            "countries": COUNTRIES[n % len(COUNTRIES)],
            "topics": ["Security", f"Theme {n % 7}"],
            "authors": ["Test Analyst", f"Analyst {n % 5}"],
            "access": ["public", "registered", "members"][n % 3],
        }
        body = f"Fighting near Mopti and Timbuktu; ministers in Bamako met envoys ({n}).\n"
        items.append(from_mapping(meta, body, line=n + 1))
    import_articles(items)


def follow_and_save_everything(user) -> None:
    from geopol.articles.models import Article
    from geopol.follows import services
    from geopol.follows.models import Bookmark
    from geopol.geo.models import Country

    services.follow(user, Country.objects.get(code="ML"), "none")
    Bookmark.objects.bulk_create(
        [Bookmark(user=user, article=a) for a in Article.objects.all()], ignore_conflicts=True
    )


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.fixture
def editor_client(client):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-for-tests-1")
    client.force_login(editor)
    return client


def test_every_list_costs_the_same_at_80_and_240_articles(client, editor_client):
    add_articles(0, 80)
    from geopol.follows.models import PrivateFeed

    editor = get_user_model().objects.get(username="ed")
    token = PrivateFeed.objects.create(user=editor).token
    budgets = {p.format(token=token): n for p, n in BUDGETS.items()}
    budgets.update(dict.fromkeys(admin_changelists(), ADMIN_LIST_BUDGET))
    follow_and_save_everything(editor)
    editor_client.get("/")  # sessions, permissions and caches warmed alike for both rounds
    before = {path: queries(editor_client, path) for path in budgets}
    add_articles(80, 160)
    follow_and_save_everything(editor)
    after = {path: queries(editor_client, path) for path in budgets}
    grown = {p: (before[p], after[p]) for p in budgets if after[p] > before[p]}
    assert not grown, f"queries grew with the number of articles: {grown}"
    over = {p: after[p] for p in budgets if after[p] > budgets[p]}
    assert not over, f"over budget: {over}"


def test_page_sizes_are_capped(client):
    add_articles(0, 120)
    data = client.get("/api/v1/articles?limit=100000").json()
    assert data["count"] == 120  # restricted pieces are listed too, with their teaser
    assert len(data["items"]) == 100
    assert client.get("/api/v1/articles?limit=0").status_code == 422
    assert client.get("/api/v1/articles?offset=-1").status_code == 422
