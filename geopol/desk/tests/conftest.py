import pytest
from django.contrib.auth.models import Group, User


def _user(name: str, group: str | None) -> User:
    user = User.objects.create_user(
        name, email=f"{name}@example.org", password="pw-tests-1", first_name=name.title()
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def analyst(db) -> User:
    return _user("ana", "Analysts")


@pytest.fixture
def other_analyst(db) -> User:
    return _user("olu", "Analysts")


@pytest.fixture
def editor(db) -> User:
    return _user("eddie", "Editors")


@pytest.fixture
def reader(db) -> User:
    return _user("rita", None)
