"""PreparedQuery: compiled once, then the same answers as the ORM for every value."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from geopol.core.db import PreparedQuery

pytestmark = pytest.mark.django_db

User = get_user_model()

by_username = PreparedQuery(lambda name: User.objects.filter(username=name), str)
joined = PreparedQuery(
    lambda user_id: User.objects.filter(pk=user_id).values_list("username", "date_joined"), int
)


@pytest.fixture
def users():
    when = dt.datetime(2013, 1, 11, 18, 9, tzinfo=dt.UTC)
    return [
        User.objects.create_user(f"reader{i}", date_joined=when + dt.timedelta(days=i))
        for i in range(3)
    ]


def test_instances_are_the_orms_for_each_value(users):
    for user in users:
        (found,) = by_username(user.username)
        assert found == User.objects.get(username=user.username)
        assert found.date_joined == user.date_joined  # converted as the ORM converts
        assert found.date_joined.tzinfo is not None
    assert by_username("nobody") == []


def test_values_lists_are_tuples_of_python_values(users):
    assert joined(users[1].pk) == [("reader1", dt.datetime(2013, 1, 12, 18, 9, tzinfo=dt.UTC))]


def test_one_compilation_then_one_query_per_call(users, django_assert_num_queries):
    by_username("reader0")
    with django_assert_num_queries(2):
        by_username("reader1")
        by_username("reader2")


def test_values_must_be_ints_or_strings():
    with pytest.raises(TypeError, match="int or str"):
        PreparedQuery(lambda when: User.objects.filter(date_joined=when), dt.datetime)


@pytest.mark.django_db(
    databases=["default", "postgres"] if "postgres" in settings.DATABASES else ["default"]
)
def test_the_same_answers_on_postgresql():
    if "postgres" not in settings.DATABASES:
        pytest.skip(getattr(settings, "TEST_POSTGRES_UNAVAILABLE", "") or "no 'postgres' database")
    when = dt.datetime(2013, 1, 11, 18, 9, tzinfo=dt.UTC)
    user = User.objects.db_manager("postgres").create_user("reader-pg", date_joined=when)
    on_postgres = PreparedQuery(
        lambda name: User.objects.using("postgres").filter(username=name), str, using="postgres"
    )
    (found,) = on_postgres("reader-pg")
    assert found.pk == user.pk and found.date_joined == when
    assert found._state.db == "postgres"
    assert on_postgres("nobody") == []
