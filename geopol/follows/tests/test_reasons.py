"""The rules behind 'why you got this', without a database."""

from geopol.follows.reasons import ActorTag, ArticleTags, CountryTag, reasons_for

TAGS = ArticleTags(
    countries={
        "ML": CountryTag("ML", "Mali", "sub-saharan-africa", primary=True, mentions=7),
        "FR": CountryTag("FR", "France", "europe", mentions=3, given=False),
        "DZ": CountryTag("DZ", "Algeria", "middle-east", mentions=1, given=False),
    },
    region_names={"sub-saharan-africa": "Sub-Saharan Africa", "europe": "Europe"},
    actors={
        "aqim": ActorTag("aqim", "al Qaeda in the Islamic Maghreb", mentions=4),
        "un": ActorTag("un", "United Nations", given=True),
    },
    topics={"terrorism": "Terrorism"},
    authors={"jane-roe": "Jane Roe"},
)


def test_primary_country_and_mentions_say_where_it_appears():
    reasons = reasons_for(TAGS, [("country", "ML"), ("country", "FR")], readable=True)
    assert [str(r) for r in reasons] == [
        "you follow Mali (primary country)",
        "you follow France (mentioned 3 times)",
    ]
    one = reasons_for(TAGS, [("country", "DZ")], readable=True)
    assert str(one[0]) == "you follow Algeria (mentioned once)"


def test_region_names_the_country_inside_it():
    (reason,) = reasons_for(TAGS, [("region", "sub-saharan-africa")], readable=True)
    assert str(reason) == "you follow Sub-Saharan Africa (via Mali, primary country)"


def test_actor_topic_author():
    reasons = reasons_for(
        TAGS, [("actor", "aqim"), ("topic", "terrorism"), ("author", "jane-roe")], readable=True
    )
    assert [str(r) for r in reasons] == [
        "you follow Jane Roe (author)",
        "you follow al Qaeda in the Islamic Maghreb (mentioned 4 times)",
        "you follow Terrorism (topic)",
    ]


def test_a_reader_who_may_not_read_the_body_learns_nothing_from_it():
    follows = [("country", "FR"), ("region", "europe"), ("actor", "aqim"), ("actor", "un")]
    reasons = reasons_for(TAGS, follows, readable=False)
    # France, Europe and AQIM were found in the body only; the UN tag was given by an editor
    assert [str(r) for r in reasons] == ["you follow United Nations (tagged)"]
    (mali,) = reasons_for(TAGS, [("country", "ML")], readable=False)
    assert "mentioned" not in str(mali)


def test_nothing_followed_matches_nothing():
    assert reasons_for(TAGS, [("country", "US"), ("topic", "trade")], readable=True) == []
    assert TAGS.targets(readable=False)["country"] == {"ML"}
