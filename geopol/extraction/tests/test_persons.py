"""Persons and state forces: the registry file, full names, second mentions, "<demonym>
troops". Against the shipped registries and the real gazetteer."""

import pytest

from geopol.extraction.actors import ActorIndex, full_registry
from geopol.extraction.persons import RegistryError, parse_persons, persons_from_file
from geopol.extraction.pipeline import extract
from geopol.geo.gazetteer import base_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return base_gazetteer()


@pytest.fixture(scope="module")
def actors():
    return ActorIndex.build(list(full_registry()))


def actors_of(result, kind=None):
    return {a.id: a for a in result.actors if kind is None or a.kind == kind}


def test_the_shipped_registry_loads_with_roles_and_countries():
    persons = persons_from_file()
    assert len(persons) >= 2000
    assad = next(p for p in persons if p.id == "bashar-al-assad")
    assert assad.countries == ("SY",) and assad.short == ("Assad",)
    assert assad.roles[0].start == 2000 and assad.roles[0].end == 2024


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- {name: A B, roles: president SY 2000-2024}\n- {name: C, roles: king XX 2001-}\n",
            "line 2 (C): 'XX' is no ISO 3166-1 country code",
        ),
        ("- {name: A B, roles: president SY 2000}\n", "line 1 (A B): role 'president SY 2000'"),
        ("- {name: A B, roles: president SY 2010-2001}\n", "years outside"),
        ("- {name: A B}\n", "line 1 (A B): 'roles' is missing"),
        ("- {name: A B, roles: x SY 2000-, rank: 3}\n", "unknown field(s) ['rank']"),
        (
            "- {name: A B, roles: x SY 2000-}\n\n- {name: A B, roles: y SY 2001-}\n",
            "line 3 (A B): id 'a-b' is already used on line 1",
        ),
        ("- {name: A B, roles: [x SY 2000-\n", "line 2: not valid YAML"),
    ],
)
def test_registry_errors_name_the_line_and_the_entry(text, message):
    with pytest.raises(RegistryError) as error:
        parse_persons(text, "persons.yaml", frozenset({"SY"}))
    assert message in str(error.value)
    assert str(error.value).startswith("persons.yaml: ")


def test_full_name_then_surname(gazetteer, actors):
    text = (
        "President Bashar al-Assad met Recep Tayyip Erdoğan in Ankara. Assad asked for time; "
        "Erdogan refused. But Assad flew home."
    )
    persons = actors_of(extract(text, gazetteer, actors), "person")
    assert persons["bashar-al-assad"].mentions == 3
    assert persons["recep-tayyip-erdogan"].aliases_in_text == ["Recep Tayyip Erdoğan", "Erdogan"]
    assert persons["bashar-al-assad"].countries == ["SY"]


def test_a_surname_alone_is_no_person(gazetteer, actors):
    persons = actors_of(extract("Assad loyalists held the road to Homs.", gazetteer, actors))
    assert "bashar-al-assad" not in persons


def test_a_surname_goes_to_the_latest_full_mention(gazetteer, actors):
    text = "Hafez al-Assad ruled until 2000. Bashar al-Assad followed him. Assad kept the army."
    persons = actors_of(extract(text, gazetteer, actors), "person")
    assert persons["bashar-al-assad"].mentions == 2
    assert persons["hafez-al-assad"].mentions == 1


def test_a_surname_inside_another_name_is_not_the_person(gazetteer, actors):
    text = "Saad Hariri resigned. Hariri's allies met Bahaa Hariri, his brother."
    persons = actors_of(extract(text, gazetteer, actors), "person")
    assert persons["saad-hariri"].aliases_in_text == ["Saad Hariri", "Hariri"]


@pytest.mark.parametrize(
    ("text", "person", "written"),
    [
        ("President Erdogan said he would veto it.", "recep-tayyip-erdogan", "Erdogan"),
        ("Foreign Minister Lavrov flew to Ankara.", "sergei-lavrov", "Lavrov"),
        ("Mr. Netanyahu's cabinet met.", "benjamin-netanyahu", "Netanyahu"),
        ("Vladimir V. Putin signed the decree.", "vladimir-putin", "Vladimir V. Putin"),
        ("George W. Bush's war began.", "george-w-bush", "George W. Bush"),
        ('Ismael "El Mayo" Zambada was flown north.', "ismael-zambada", 'Ismael "El Mayo" Zambada'),
        (
            "Gen. Abdel Fattah el-Burhan flew to Cairo.",
            "abdel-fattah-al-burhan",
            "Abdel Fattah el-Burhan",
        ),
        ("Abdel Fattah Sisi spoke in Cairo.", "abdel-fattah-el-sisi", "Abdel Fattah Sisi"),
    ],
)
def test_a_title_or_a_middle_initial_names_the_person(gazetteer, actors, text, person, written):
    persons = actors_of(extract(text, gazetteer, actors), "person")
    assert persons[person].aliases_in_text == [written]


def test_a_title_fitting_two_persons_names_the_one_in_office_after_2000(gazetteer, actors):
    # Hafez al-Assad was president until 2000, Bashar after him
    persons = actors_of(extract("President Assad spoke on television.", gazetteer, actors))
    assert "bashar-al-assad" in persons and "hafez-al-assad" not in persons
    # Raúl Castro (Cuba) and Xiomara Castro (Honduras) were both presidents after 2000
    persons = actors_of(extract("President Castro spoke on television.", gazetteer, actors))
    assert not {"raul-castro", "xiomara-castro"} & set(persons)


def test_a_surname_with_particles_is_a_second_mention(gazetteer, actors):
    text = "Ursula von der Leyen went to Kyiv. Von der Leyen spoke; later von der Leyen left."
    persons = actors_of(extract(text, gazetteer, actors), "person")
    assert persons["ursula-von-der-leyen"].mentions == 3


def test_a_person_named_like_a_place_is_no_place(gazetteer, actors):
    result = extract(
        "Khalifa Haftar's forces neared Tripoli. Later Haftar met Aguila Saleh in Benghazi.",
        gazetteer,
        actors,
    )
    assert {"khalifa-haftar", "aguila-saleh"} <= set(actors_of(result, "person"))
    assert {p.canonical for p in result.places} >= {"Tripoli", "Benghazi"}


@pytest.mark.parametrize(
    ("text", "force", "country"),
    [
        ("Nigerien troops left Ouallam.", "niger-armed-forces", "NE"),
        ("Kenyan troops crossed into Somalia.", "kdf", "KE"),
        ("Syrian government forces shelled Saraqeb.", "syrian-arab-army", "SY"),
        ("The Greek coast guard towed the boat.", "armed-forces-gr", "GR"),
        ("Czech police arrested two men.", "police-cz", "CZ"),
        ("Russian forces withdrew from Kherson.", "russian-armed-forces", "RU"),
    ],
)
def test_a_demonym_and_a_force_noun_are_that_country_s_force(
    text, force, country, gazetteer, actors
):
    result = extract(text, gazetteer, actors)
    found = actors_of(result)
    assert force in found, sorted(found)
    assert country in found[force].countries
    assert country in {c.code for c in result.countries}


def test_a_demonym_before_another_noun_is_no_force(gazetteer, actors):
    result = extract("North Korean artillery fired on the island.", gazetteer, actors)
    assert not [a for a in result.actors if a.kind == "state-force"]
