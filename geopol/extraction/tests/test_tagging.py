"""Articles get their countries, places and actors on import and edit; editors decide."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from geopol.articles.models import Article
from geopol.articles.services import render_article
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import Actor, ArticleEntity, Decision
from geopol.extraction.services import tag_article

pytestmark = pytest.mark.django_db

BODY = (
    "Fighters from Ansar Dine and AQIM advanced from Douentza towards Mopti, and French "
    "aircraft struck their columns. Officials in Bamako asked ECOWAS for troops."
)


def tags(article, kind):
    return {e.key: e for e in ArticleEntity.objects.kept().filter(article=article, kind=kind)}


def test_import_tags_countries_places_and_actors(tmp_path):
    path = tmp_path / "mali.md"
    path.write_text(
        f"---\ntitle: 'Mali: Jihadists Push South'\npublished: 2013-01-10T09:00:00Z\n---\n\n"
        f"{BODY}\n"
    )
    call_command("import_articles", str(path), stdout=io.StringIO())
    article = Article.objects.get()
    countries = tags(article, "country")
    assert countries["ML"].primary
    assert "FR" in countries and not countries["FR"].primary
    places = {e.name for e in tags(article, "place").values()}
    assert {"Mopti", "Bamako"} <= places
    actors = tags(article, "actor")
    assert {"ansar-dine", "aqim", "ecowas"} <= set(actors)
    assert actors["aqim"].actor == Actor.objects.get(slug="aqim")
    assert article.ordered_countries()[0].code == "ML"
    # the mentions keep where the text named them
    span = actors["aqim"].spans.get()
    assert article.body.find("AQIM") >= 0 and span.text == "AQIM"


def test_editor_decisions_survive_reextraction():
    article = ArticleFactory(title="Sahel update", body=BODY)
    tag_article(article)
    france = ArticleEntity.objects.get(article=article, kind="country", key="FR")
    france.decision = Decision.REMOVED
    france.save()
    mopti = ArticleEntity.objects.get(article=article, kind="place", name="Mopti")
    mopti.decision = Decision.CONFIRMED
    mopti.save()
    ArticleEntity.objects.create(
        article=article,
        kind="country",
        key="NE",
        name="Niger",
        country_id="NE",
        by_editor=True,
        decision=Decision.CONFIRMED,
    )
    article.body = BODY + " Talks continued in Bamako."
    article.save()
    render_article(article)  # what an edit in the admin does
    assert ArticleEntity.objects.get(pk=france.pk).decision == Decision.REMOVED
    assert ArticleEntity.objects.get(pk=mopti.pk).decision == Decision.CONFIRMED
    codes = [c.code for c in article.ordered_countries()]
    assert "FR" not in codes and "NE" in codes and "ML" in codes
    assert tags(article, "place")[mopti.key].mentions == 1


def test_actor_page_timeline_and_co_mentions(client):
    one = ArticleFactory(title="First Sahel piece", body=BODY)
    two = ArticleFactory(title="Second Sahel piece", body="AQIM struck near Timbuktu in Mali.")
    tag_article(one)
    tag_article(two)
    page = client.get("/actors/aqim/").content.decode()
    assert "al Qaeda in the Islamic Maghreb" in page
    assert "First Sahel piece" in page and "Second Sahel piece" in page
    assert "Ansar Dine" in page  # mentioned with it
    assert client.get("/actors/").status_code == 200
    assert client.get("/actors/no-such-actor/").status_code == 404


def test_article_page_has_svg_map_and_actor_chips(client):
    article = ArticleFactory(title="Mali: the front moves", body=BODY)
    tag_article(article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<svg" in page and "Mopti" in page.split("<svg", 1)[1]
    assert 'href="/actors/aqim/"' in page


def test_article_without_places_says_so_on_its_map(client):
    article = ArticleFactory(title="A note on diplomacy", body="Talks went nowhere this week.")
    tag_article(article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "No places resolved for this analysis" in page


def test_members_article_map_hides_places_from_anonymous_readers(client):
    article = ArticleFactory(
        title="Members map",
        access="members",
        teaser="Teaser.",
        body="Troops moved from Kidal to Gao in northern Mali overnight.",
    )
    tag_article(article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Kidal" not in page


def test_extract_command_json_contract(tmp_path):
    path = tmp_path / "wire.jsonl"
    rows = [
        {"title": "Mali: the push south", "published": "2013-01-10", "body": BODY},
        {
            "title": "Quiet week",
            "published": "2013-01-11T10:00:00+01:00",
            "body": "Nothing happened.",
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    out = io.StringIO()
    call_command("extract_articles", str(path), "--json", stdout=out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert set(first) == {
        "title",
        "published",
        "reading_minutes",
        "countries",
        "regions",
        "places",
        "actors",
        "events",
    }
    assert first["events"] == [] and second["events"] == []  # neither writes a date
    assert first["title"] == "Mali: the push south" and second["title"] == "Quiet week"
    assert second["published"] == "2013-01-11T09:00:00Z"
    [mali] = [c for c in first["countries"] if c["code"] == "ML"]
    assert mali == {"code": "ML", "name": "Mali", "primary": True, "mentions": mali["mentions"]}
    place = next(p for p in first["places"] if p["canonical"] == "Bamako")
    assert set(place) == {
        "name",
        "canonical",
        "country",
        "lat",
        "lon",
        "geonames_id",
        "mentions",
        "precision",
    }
    assert place["precision"] == "point"  # a town of GeoNames, drawn where it is
    assert place["country"] == "ML" and isinstance(place["geonames_id"], int)
    actor = next(a for a in first["actors"] if a["name"] == "al Qaeda in the Islamic Maghreb")
    assert actor["aliases_in_text"] == ["AQIM"] and actor["kind"] == "armed-group"
    assert first["regions"][0]["name"] == "Sub-Saharan Africa"
    assert Article.objects.count() == 0  # nothing stored


def test_gazetteer_load_adds_places_and_rejects_bad_dumps(tmp_path):
    dump = tmp_path / "XX.txt"
    row = [
        "2451185",
        "Sévaré",
        "Sevare",
        "Sevare,Sévaré",
        "14.53",
        "-4.09",
        "P",
        "PPL",
        "ML",
        "",
        "04",
        "",
        "",
        "",
        "25000",
        "",
        "270",
        "Africa/Bamako",
        "2020-01-01",
    ]
    dump.write_text("\t".join(row) + "\n")
    out = io.StringIO()
    call_command("load_gazetteer", str(dump), stdout=out)
    assert "1 places added" in out.getvalue()
    article = ArticleFactory(title="Airport", body="French troops landed at Sevare in Mali.")
    tag_article(article)
    assert "Sévaré" in {e.name for e in tags(article, "place").values()}

    bad = tmp_path / "bad.txt"
    bad.write_text("\t".join(row) + "\n" + "only\tthree\tcolumns\n")
    err = io.StringIO()
    with pytest.raises(Exception, match="not loaded"):
        call_command("load_gazetteer", str(bad), stdout=io.StringIO(), stderr=err)
    assert f"error: {bad}:2: expected 19 tab-separated columns, found 3" in err.getvalue()


@pytest.mark.skipif(
    not Path("/work/shared/seed").exists()
    and not (Path(__file__).resolve().parents[3] / "shared").exists(),
    reason="seed page not available",
)
def test_seed_countries_places_and_actors():
    from tests.shared import shared_path

    seed = shared_path("seed/000_4b2a77ebaa4c6e4f.txt")
    if not seed.exists():
        pytest.skip(f"seed page not found at {seed}")
    call_command("import_articles", str(seed), stdout=io.StringIO())
    article = Article.objects.get()
    countries = tags(article, "country")
    assert countries["ML"].primary
    assert {"FR", "DE", "MR", "US"} <= set(countries)
    places = {e.name for e in tags(article, "place").values()}
    assert {"Mopti", "Douentza", "Bamako", "Timbuktu"} <= places
    actors = set(tags(article, "actor"))
    assert {"aqim", "ansar-dine", "mujwa"} <= actors


def test_map_geojson_for_interactive_maps(client):
    article = ArticleFactory(title="Mali map", body=BODY)
    tag_article(article)
    data = client.get(f"/api/v1/articles/{article.slug}/map").json()
    assert data["type"] == "FeatureCollection" and data["primary"] == ["ML"]
    labels = {f["properties"].get("label") for f in data["features"]}
    assert {"Mopti", "Bamako"} <= labels
    west, south, east, north = data["bbox"]
    assert west < -4.2 < east and south < 14.5 < north
    hidden = ArticleFactory(title="Members map", access="members", teaser="T.", body=BODY)
    tag_article(hidden)
    data = client.get(f"/api/v1/articles/{hidden.slug}/map").json()
    assert not [f for f in data["features"] if f["properties"].get("role") == "place"]
    world = client.get("/api/v1/maps/countries").json()
    codes = {f["properties"]["code"] for f in world["features"]}
    assert {"ML", "FR", "UA", "JP"} <= codes


def test_actor_page_lists_no_places_from_members_only_text(client):
    members = ArticleFactory(
        title="Members AQIM piece",
        access="members",
        teaser="Teaser.",
        body="AQIM fighters regrouped near Tessalit and Kidal in Mali.",
    )
    tag_article(members)
    page = client.get("/actors/aqim/").content.decode()
    # the tag comes from a body the reader may not read: neither the article nor its places
    assert "Members AQIM piece" not in page
    assert "Tessalit" not in page and "Kidal" not in page


def test_restricted_article_page_shows_its_countries_and_what_its_title_names(client):
    """The paywall shows what a piece is about: every country (the machine's too) and the
    actors its title or teaser names; an actor named only in the hidden body stays hidden."""
    article = ArticleFactory(
        title="Members Sahel piece: Ansar Dine regroups",
        access="members",
        teaser="Teaser.",
        body="AQIM fighters crossed from Mauritania into Mali near Lere; Ansar Dine followed.",
        countries=["ML"],
    )
    tag_article(article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/countries/mali/"' in page  # given by the source file
    assert 'href="/countries/mauritania/"' in page, "found by the machine: shown"
    assert 'content="Mauritania"' in page and '"name": "Mauritania"' in page
    assert 'href="/actors/ansar-dine/"' in page, "named in the title: shown"
    assert 'href="/actors/aqim/"' not in page, "named only in the hidden body"
    assert "AQIM" not in page
    data = client.get(f"/api/v1/articles/{article.slug}").json()
    assert {c["code"] for c in data["countries"]} >= {"ML", "MR"}
    assert data["body_html"] is None


def test_deleting_a_proposal_in_the_admin_keeps_it_removed(client):
    from django.contrib.auth.models import User

    article = ArticleFactory(title="Sahel", body=BODY)
    tag_article(article)
    client.force_login(User.objects.create_superuser("ed", "ed@example.org", "pw-tests-1"))
    france = ArticleEntity.objects.get(article=article, kind="country", key="FR")
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from geopol.extraction.admin import ArticleEntityInline

    # the inline's own formset, as the article form submits it: France marked for deletion
    request = RequestFactory().post("/")
    request.user = User.objects.get(username="ed")
    formset_class = ArticleEntityInline(Article, django_admin.site).get_formset(request, article)
    shown = formset_class(instance=article)
    data = {f"{shown.prefix}-{k}": v for k, v in shown.management_form.initial.items()}
    for form in shown.forms:
        data |= {form.add_prefix(k): v for k, v in form.initial.items() if v is not None}
        data[form.add_prefix("id")] = form.instance.pk
        data[form.add_prefix("article")] = article.pk
        if form.instance.pk == france.pk:
            data[form.add_prefix("DELETE")] = "on"
    formset = formset_class(data, instance=article)
    assert formset.is_valid(), formset.errors
    formset.save()
    render_article(article)
    assert ArticleEntity.objects.get(pk=france.pk).decision == Decision.REMOVED
    assert "FR" not in [c.code for c in article.ordered_countries()]


def test_country_listings_show_restricted_pieces_the_machine_tagged(client):
    """A members-only piece an editor tagged only UAE is listed under Qatar too, where the
    machine found it, for every reader: on the page, in the feed and in the API filter."""
    hidden = ArticleFactory(
        title="Members Gulf piece",
        access="members",
        teaser="Teaser.",
        body="Envoys met quietly in Doha, Qatar, last week.",
        countries=["AE"],
    )
    tag_article(hidden)
    assert "QA" in [c.code for c in hidden.ordered_countries()]  # the machine found it
    assert "Members Gulf piece" in client.get("/countries/qatar/").content.decode()
    assert "Members Gulf piece" in client.get("/countries/united-arab-emirates/").content.decode()
    assert client.get("/api/v1/articles", {"country": "QA"}).json()["count"] == 1
    feed = client.get("/countries/qatar/feed.rss").content.decode()
    assert "Members Gulf piece" in feed and "Envoys met quietly" not in feed


def test_a_file_is_tagged_as_its_articles_would_be_one_by_one(tmp_path):
    # An import file writes its new articles' tags, spans, countries, authors and topics
    # together at the end; the result must be what importing each article alone gives.
    from geopol.articles.importers import read_file
    from geopol.articles.services import Outcome, import_article, import_articles

    def record(n, title, countries):
        return {
            "title": title,
            "published": f"2013-01-1{n}T09:00:00Z",
            "body": BODY,
            "countries": countries,
            "authors": ["Desk A", "Desk B"],
            "topics": ["Sahel"],
            "source_url": f"https://example.org/{n}",
        }

    lines = [record(1, "Mali update", ["ML"]), record(2, "Mali update", ["FR", "ML"])]
    lines.append(lines[0])  # the same article twice in one file
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    results = import_articles(read_file(path, 10_000_000))
    assert [outcome for _, outcome in results] == [Outcome.CREATED] * 2 + [Outcome.UNCHANGED]
    first, second = results[0][0], results[1][0]
    assert first.slug != second.slug  # the title clash is settled inside the file

    def snapshot(article):
        return (
            sorted(
                (e.kind, e.key, e.primary, e.mentions, sorted(s.text for s in e.spans.all()))
                for e in article.entities.all()
            ),
            [(c.country_id, c.primary, c.by_editor) for c in article.country_links.all()],
            sorted(a.name for a in article.authors.all()),
            [t.name for t in article.topics.all()],
            [(r.number, r.note) for r in article.revisions.all()],
        )

    batched = [snapshot(first), snapshot(second)]
    assert batched[1][1][:2] == [("FR", True, True), ("ML", False, True)]  # the file's order
    assert any(kind == "actor" and key == "aqim" for kind, key, *_ in batched[0][0])
    Article.objects.all().delete()
    one_by_one = [import_article(data)[0] for data in read_file(path, 10_000_000)[:2]]
    assert [snapshot(article) for article in one_by_one] == batched


def test_an_organisation_the_registry_lacks_is_tagged_and_the_page_renders(client):
    """An organisation found by its shape is an actor tag of the article (no actor page:
    the registry lacks it), and a country's institution written with its name is one too."""
    article = ArticleFactory(
        title="Papua New Guinea: the count is disputed",
        body="In Port Moresby, the Highlands Unity Front (HUF) rejected the count. HUF "
        "leaders called a strike, and Japan's foreign ministry urged calm.",
    )
    tag_article(article)
    actors = tags(article, "actor")
    front = actors["text:highlands-unity-front"]
    assert front.name == "Highlands Unity Front" and front.actor is None
    assert front.written_as == "Highlands Unity Front, HUF"
    assert actors["text:foreign-ministry-jp"].name == "Foreign ministry (Japan)"
    assert client.get(article.get_absolute_url()).status_code == 200
