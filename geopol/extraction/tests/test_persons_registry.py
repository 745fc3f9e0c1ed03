"""The shipped persons registry (data/persons/*.yaml) as a whole: what the loader cannot see
entry by entry. A mistake here would tag the wrong person on every analysis that names them."""

from collections import defaultdict

import pycountry
import pytest

from geopol.extraction.persons import persons_from_file, registry_files, shared_names
from geopol.geo.gazetteer import name_keys


@pytest.fixture(scope="module")
def persons():
    return persons_from_file()


def test_the_registry_holds_two_thousand_persons_from_several_files(persons):
    assert len(persons) >= 2000
    assert len(registry_files()) >= 5


def test_ids_are_unique(persons):
    ids = [p.id for p in persons]
    assert len(ids) == len(set(ids))


def test_every_role_names_a_real_country_and_sane_years(persons):
    codes = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    for person in persons:
        assert person.roles, person.name
        for role in person.roles:
            assert role.country in codes, (person.name, role)
            assert 1940 <= role.start <= 2026, (person.name, role)
            assert role.end is None or role.start <= role.end <= 2026, (person.name, role)
            assert role.office.strip() == role.office and role.office, (person.name, role)


def test_every_full_name_is_one_person_s_unless_listed_as_shared(persons):
    owners = defaultdict(set)
    for person in persons:
        for name in (person.name, *person.aliases):
            for key in name_keys(name):
                owners[key].add(person.id)
    allowed = shared_names()
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1 and k not in allowed}
    assert not clashes
    assert allowed <= set(owners), "shared-names.txt lists names no person has"


def test_second_mention_forms_are_not_the_full_name_of_someone_else(persons):
    # "Abdullah" as a short form is fine; a short form that is another person's full name
    # would tag that other person's second mentions to the wrong one
    full = {key for p in persons for n in (p.name, *p.aliases) for key in name_keys(n)}
    for person in persons:
        for short in person.short:
            if len(short.split()) > 1:
                mine = {k for n in (person.name, *person.aliases) for k in name_keys(n)}
                assert not (set(name_keys(short)) & full) - mine, (person.name, short)
