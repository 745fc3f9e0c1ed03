"""The monthly allowance holds when one account opens many members-only pieces at once
(issue 15.4: on PostgreSQL, under READ COMMITTED, count-then-insert let 7 of 12 racing
accounts read 3-4 pieces with an allowance of 2).

The races run on the real PostgreSQL server, from threads whose connections commit outside
the test's own transaction; the rows they make are deleted afterwards. (A transactional test
would empty the "default" database too, and with it the countries the migrations wrote.)
SQLite needs no race test of its own: its IMMEDIATE transactions take the one write lock at
BEGIN, so one account's reads take turns there by construction."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from geopol.articles.models import Access, Article
from geopol.core.tests.threads import OneDatabase, in_thread
from geopol.members.metering import AccountMeter, month_of
from geopol.members.models import MeteredRead
from geopol.members.tests.factories import UserFactory

ALIASES = ["default", "postgres"] if "postgres" in settings.DATABASES else ["default"]
pytestmark = pytest.mark.django_db(databases=ALIASES)
ALLOWANCE = 2
READERS = 12
PIECES = 5


def require_postgres() -> None:
    if "postgres" in settings.DATABASES:
        return
    reason = getattr(settings, "TEST_POSTGRES_UNAVAILABLE", "") or "no 'postgres' database"
    if os.environ.get("GEOPOL_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (GEOPOL_REQUIRE_POSTGRES=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def on_postgres():
    """Every query routed to PostgreSQL; what the test made there is deleted afterwards."""
    require_postgres()
    tag = uuid.uuid4().hex[:8]
    with override_settings(DATABASE_ROUTERS=[OneDatabase("postgres")]):
        try:
            yield tag
        finally:

            def clean() -> None:
                from django.contrib.auth import get_user_model

                Article.objects.filter(source_key__startswith=f"race-{tag}").delete()
                get_user_model().objects.filter(email__startswith=f"race-{tag}").delete()

            in_thread(clean)


def _people_and_pieces(tag: str, readers: int, pieces: int):
    users = [UserFactory(email=f"race-{tag}-{i}@example.org") for i in range(readers)]
    articles = [
        Article.objects.create(
            title=f"Piece {i}",
            slug=f"race-{tag}-{i}",
            source_key=f"race-{tag}-{i}",
            body="Body.",
            access=Access.MEMBERS,
        )
        for i in range(pieces)
    ]
    return users, articles


def test_racing_reads_never_exceed_the_allowance(on_postgres):
    from django.contrib.auth import get_user_model

    users, articles = in_thread(lambda: _people_and_pieces(on_postgres, READERS, PIECES))
    meter = AccountMeter(lambda: ALLOWANCE)
    start = threading.Barrier(READERS * PIECES, timeout=60)
    granted: dict[int, int] = {u.pk: 0 for u in users}
    lock = threading.Lock()
    errors: list[BaseException] = []

    def read(user_pk: int, article: Article) -> None:
        try:
            user = get_user_model().objects.get(pk=user_pk)
            start.wait()
            if meter.open(user, article) is not None:
                with lock:
                    granted[user_pk] += 1
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(u.pk, a)) for u in users for a in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[0]
    stored = in_thread(
        lambda: {pk: MeteredRead.objects.filter(user_id=pk).count() for pk in granted}
    )
    # every account reads exactly its allowance: no more, and no fewer (nobody is refused
    # while allowance is left), and what was granted is what the database remembers
    assert sorted(granted.values()) == [ALLOWANCE] * READERS
    assert stored == granted


def test_a_read_waits_for_the_same_accounts_read_in_flight(on_postgres):
    """The interleaving that let racing tabs through, made certain: another request of the
    same account holds its lock and has inserted, not yet committed, its second read; this
    request must wait for it and then be refused, not count the committed rows and pass."""
    month = month_of(timezone.now())

    def setup():
        [user], (first, second, third) = _people_and_pieces(on_postgres, 1, 3)
        MeteredRead.objects.create(user=user, article=first, month=month)
        return user, second, third

    user, second, third = in_thread(setup)
    meter = AccountMeter(lambda: ALLOWANCE)
    other = connections.create_connection("postgres")
    outcome: list[object] = []
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            # what a request in flight holds: the account's lock and its insert
            cursor.execute(
                f"SELECT id FROM {user._meta.db_table} WHERE id = %s FOR UPDATE", [user.pk]
            )
            cursor.execute(
                f"INSERT INTO {MeteredRead._meta.db_table} (user_id, article_id, month, "
                "opened_at) VALUES (%s, %s, %s, %s)",
                [user.pk, second.pk, month, timezone.now()],
            )

        def read() -> None:
            try:
                outcome.append(meter.open(user, third))
            finally:
                connections.close_all()

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(timeout=1.0)
        granted_before_commit = bool(outcome) and outcome[0] is not None
        other.commit()
        thread.join(timeout=30)
    finally:
        other.close()
    assert not granted_before_commit, "read a third piece while the second was in flight"
    assert outcome == [None]
    assert in_thread(lambda: MeteredRead.objects.filter(user=user).count()) == ALLOWANCE
