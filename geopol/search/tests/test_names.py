"""Name spellings for "did you mean", without a database."""

from geopol.search.names import NameIndex

INDEX = NameIndex(
    [
        ("Timbuktu", "Timbuktu"),
        ("Timbuctoo", "Timbuktu"),
        ("Tombouctou", "Timbuktu"),
        ("Sevare", "Sevare"),
        ("Sévaré", "Sevare"),
        ("Ansar Dine", "Ansar Dine"),
        ("Ansar al-Din", "Ansar Dine"),
        ("Mali", "Mali"),
        ("Bali", "Bali"),
    ]
)


def test_an_alternate_spelling_gives_the_name_as_written():
    assert INDEX.exact("Timbuctoo") == "Timbuktu"
    assert INDEX.exact("TOMBOUCTOU") == "Timbuktu"
    assert INDEX.closest("ansar al din") == "Ansar Dine"


def test_a_close_misspelling_gives_the_name():
    assert INDEX.closest("Sevarre") == "Sevare"
    assert INDEX.closest("Ansar Dyne") == "Ansar Dine"
    assert INDEX.closest("Timbuktoo") == "Timbuktu"


def test_short_or_distant_words_give_nothing():
    assert INDEX.closest("Mala") == "", "four letters are too short to guess"
    assert INDEX.closest("Sahel") == ""
    assert INDEX.closest("") == ""
