"""Run by tests/test_replica.py in a process of its own, with DATABASE_URL naming a primary and
DATABASE_REPLICA_URL its streaming replica: drives the site through Django's test client
while the replica's replay is paused, and prints what each reader saw as one JSON object."""

from __future__ import annotations

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopol.settings")
sys.path.insert(0, os.getcwd())
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from geopol.articles.models import Access, Article  # noqa: E402
from geopol.articles.services import sync_search_index  # noqa: E402
from geopol.articles.tests.factories import ArticleFactory  # noqa: E402
from geopol.follows.models import Bookmark  # noqa: E402
from geopol.members.apikeys import create_key, revoke_key  # noqa: E402
from geopol.members.models import MeteredRead  # noqa: E402
from geopol.members.tests.factories import UserFactory  # noqa: E402


def replica_has(query: str, params: list) -> bool:
    with connections["replica"].cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone() is not None


def wait_for_replica(query: str, params: list) -> float:
    started = time.monotonic()
    while not replica_has(query, params):
        if time.monotonic() - started > 30:
            sys.exit(f"the replica did not receive {query} {params} in 30 s")
        time.sleep(0.05)
    return time.monotonic() - started


def replay(pause: bool) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()" if pause else "SELECT pg_wal_replay_resume()")


def search_hits(client: Client, query: str) -> int:
    return client.get("/api/v1/search", {"q": query}).json()["total"]


def title_seen(client: Client, slug: str) -> str:
    return client.get(f"/api/v1/articles/{slug}").json()["title"]


def main() -> None:
    call_command("migrate", verbosity=0)
    seen: dict[str, object] = {}
    article = ArticleFactory(title="Before the pause", slug="replica-probe")
    locked = ArticleFactory(
        title="Members piece", slug="replica-locked", access=Access.MEMBERS, teaser="Teaser."
    )
    reader = UserFactory()
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(reader)
    session = member.cookies["sessionid"].value
    seen["lag_seconds"] = wait_for_replica(
        "SELECT 1 FROM django_session WHERE session_key = %s", [session]
    )
    wait_for_replica("SELECT 1 FROM articles_article WHERE slug = %s", [locked.slug])
    seen["migrated_replica"] = replica_has(
        "SELECT 1 FROM django_migrations WHERE app = %s", ["articles"]
    )

    replay(pause=True)
    try:
        Article.objects.filter(pk=article.pk).update(title="After the pause")
        anonymous = Client(HTTP_HOST="127.0.0.1")
        seen["anonymous_get"] = title_seen(anonymous, article.slug)

        saved = member.post(f"/bookmark/{article.pk}/", {"next": "/my/reading-list/"})
        seen["bookmark_status"] = saved.status_code
        seen["pin_cookie"] = saved.cookies.get("geopol_primary") is not None
        seen["bookmarked_on_primary"] = Bookmark.objects.filter(user=reader).exists()
        listing = member.get("/my/reading-list/").content.decode()
        seen["own_write_seen"] = "After the pause" in listing
        seen["pinned_get"] = title_seen(member, article.slug)

        unpinned = Client(HTTP_HOST="127.0.0.1")
        unpinned.cookies["sessionid"] = session
        seen["unpinned_get"] = title_seen(unpinned, article.slug)

        # a free reader's members-only page writes its metered read inside a transaction:
        # on the read-only replica that would fail
        metered = unpinned.get(locked.get_absolute_url())
        seen["metered_status"] = metered.status_code
        seen["metered_on_primary"] = MeteredRead.objects.filter(user=reader).count()

        # published while the replica lags: its page reads the primary (deferred fields
        # included) and is cached from there; searches read the replica, a step behind
        fresh = ArticleFactory(title="Zanzibar ferry inquiry", slug="replica-fresh")
        sync_search_index([fresh])
        page = Client(HTTP_HOST="127.0.0.1").get(fresh.get_absolute_url())
        seen["fresh_page_status"] = page.status_code
        seen["fresh_page_title"] = "Zanzibar ferry inquiry" in page.content.decode()
        seen["anonymous_search_hits"] = search_hits(Client(HTTP_HOST="127.0.0.1"), "Zanzibar")
        seen["pinned_search_hits"] = search_hits(member, "Zanzibar")

        # an API key made or revoked a moment ago is what it is now, for any client
        record, key = create_key(reader, "probe")
        bearer = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")
        seen["new_key_status"] = bearer.get("/api/v1/articles?limit=1").status_code
        revoke_key(reader, record.pk)
        seen["revoked_key_status"] = bearer.get("/api/v1/articles?limit=1").status_code
    finally:
        replay(pause=False)
    wait_for_replica("SELECT 1 FROM articles_article WHERE title = %s", ["After the pause"])
    seen["anonymous_get_after_resume"] = title_seen(Client(HTTP_HOST="127.0.0.1"), article.slug)
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
