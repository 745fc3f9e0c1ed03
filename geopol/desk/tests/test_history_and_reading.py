"""Revisions, the machine's reading and key judgments on the desk."""

from __future__ import annotations

import pytest

from geopol.desk.tests.test_desk import BODY, client_for, fields, start
from geopol.extraction.models import ArticleEntity, Decision
from geopol.forecasts.models import Judgment

pytestmark = pytest.mark.django_db


def test_history_diff_and_restore_as_a_new_revision(editor):
    client = client_for(editor)
    article = start(client)
    client.post(f"/desk/{article.pk}/", fields(article, body="The army will probably hold Konna."))
    client.post(f"/desk/{article.pk}/", fields(article, body="The army will likely hold Sevare."))
    numbers = list(article.revisions.order_by("number").values_list("number", flat=True))
    first_text, last = numbers[1], numbers[-1]
    history = client.get(f"/desk/{article.pk}/history/").content.decode()
    assert f"<td>r{last}</td>" in history and "<td>Eddie</td>" in history
    assert "<td>edited</td>" in history and "<td>created on the desk</td>" in history
    assert "Delete" not in history
    page = client.get(f"/desk/{article.pk}/history/compare/", {"a": first_text, "b": last})
    html = page.content.decode()
    assert "<del>probably </del><ins>likely </ins>" in html
    assert "<del>Konna</del><ins>Sevare</ins>" in html
    assert "2 words added" in html
    response = client.post(f"/desk/{article.pk}/history/{first_text}/restore/", follow=True)
    assert f"Restored the text of revision {first_text} as revision {last + 1}" in (
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.body == "The army will probably hold Konna."
    newest = article.revisions.first()
    assert newest.number == last + 1 and newest.note == f"restored r{first_text}"
    assert newest.editor == editor and newest.source == "desk"
    assert article.revisions.count() == last + 1, "restoring deletes nothing"


def test_an_analyst_cannot_restore_someone_elses_piece(editor, analyst):
    article = start(client_for(editor))
    client_for(editor).post(f"/desk/{article.pk}/", fields(article, body="Second."))
    count = article.revisions.count()
    client_for(analyst).post(f"/desk/{article.pk}/history/1/restore/")
    assert article.revisions.count() == count


def test_the_machine_reading_with_where_each_appears(analyst):
    client = client_for(analyst)
    article = start(client)
    client.post(f"/desk/{article.pk}/", fields(article, body=BODY))
    page = client.get(f"/desk/{article.pk}/").content.decode()
    reading = page.split('id="reading"')[1].split("</section>")[0]
    assert 'data-entity="Kirkuk"' in reading and 'data-entity="Iraq"' in reading
    assert "from <mark>Kirkuk</mark> on Monday" in reading and "¶1" in reading
    assert ">primary<" in reading


def test_confirm_and_remove_in_one_click(analyst):
    client = client_for(analyst)
    article = start(client)
    client.post(f"/desk/{article.pk}/", fields(article, body=BODY, countries=""))
    kirkuk = ArticleEntity.objects.get(article=article, kind="place", name="Kirkuk")
    iraq = ArticleEntity.objects.get(article=article, kind="country", key="IQ")
    panel = client.post(
        f"/desk/{article.pk}/reading/{kirkuk.pk}/confirm/", HTTP_X_REQUESTED_WITH="fetch"
    ).content.decode()
    assert 'class="desk-panel desk-reading"' in panel and "entity-confirmed" in panel
    kirkuk.refresh_from_db()
    assert kirkuk.decision == Decision.CONFIRMED
    assert "IQ" in article.countries.values_list("code", flat=True)
    client.post(f"/desk/{article.pk}/reading/{iraq.pk}/remove/")
    assert "IQ" not in article.countries.values_list("code", flat=True)
    # the decision survives the next save (re-extraction)
    client.post(
        f"/desk/{article.pk}/", fields(article, body=BODY + "\n\nMore on Iraq.", countries="")
    )
    iraq.refresh_from_db()
    assert iraq.decision == Decision.REMOVED
    assert "IQ" not in article.countries.values_list("code", flat=True)


def test_place_picker_by_name_with_country_and_population(analyst):
    client = client_for(analyst)
    article = start(client)
    found = client.get(
        f"/desk/{article.pk}/reading/find/",
        {"kind": "place", "q": "Kirkuk"},
        HTTP_X_REQUESTED_WITH="fetch",
    ).content.decode()
    assert "<strong>Kirkuk</strong>" in found and "Iraq · pop. 1,031,000" in found
    assert "geonames:" not in found.split('name="key"')[0], "no ids shown, only sent"
    hawija = client.get(
        f"/desk/{article.pk}/reading/find/",
        {"kind": "place", "q": "Hawija"},
        HTTP_X_REQUESTED_WITH="fetch",
    ).content.decode()
    assert "<strong>Al Ḩawījah</strong>" in hawija and "Iraq · population unknown" in hawija
    key = hawija.split('name="key" value="')[1].split('"')[0]
    name = hawija.split('name="name" value="')[1].split('"')[0]
    client.post(f"/desk/{article.pk}/reading/add/place/", {"key": key, "name": name})
    added = ArticleEntity.objects.get(article=article, kind="place", key=key)
    assert added.by_editor and added.decision == Decision.CONFIRMED
    assert round(added.lat, 1) == 35.3 and round(added.lon, 1) == 43.8 and added.country_id == "IQ"
    # and it is drawn: the preview's map names it
    assert "Ḩawījah" in client.get(f"/desk/{article.pk}/").content.decode().split('id="preview"')[1]


def test_a_place_without_coordinates_is_never_saved_silently(analyst):
    client = client_for(analyst)
    article = start(client)
    response = client.post(
        f"/desk/{article.pk}/reading/add/place/", {"key": "", "name": "Xqzzyville"}, follow=True
    )
    assert "is not in the gazetteer, so it has no coordinates" in response.content.decode()
    nothing = client.get(
        f"/desk/{article.pk}/reading/find/", {"kind": "place", "q": "Xqzzyville"}
    ).content.decode()
    assert "Nothing called “Xqzzyville” in the gazetteer" in nothing
    assert not ArticleEntity.objects.filter(article=article, kind="place", by_editor=True).exists()


def test_key_judgments_on_the_desk_with_the_linters_proposals(analyst):
    client = client_for(analyst)
    article = start(client)
    client.post(f"/desk/{article.pk}/", fields(article, body=BODY))
    page = client.get(f"/desk/{article.pk}/judgments/").content.decode()
    assert "The linter proposes" in page and "will probably succeed" in page
    prefilled = client.get(f"/desk/{article.pk}/judgments/", {"add": 0}).content.decode()
    assert 'value="likely" selected' in prefilled
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-statement": "The offensive will probably succeed before the rains.",
        "form-0-likelihood": "likely",
        "form-0-probability": "0.9",
    }
    refused = client.post(f"/desk/{article.pk}/judgments/", data).content.decode()
    assert "outside the band" in refused and not Judgment.objects.exists()
    data["form-0-probability"] = "0.7"
    data["form-0-resolves_by"] = "2026-12-31"
    client.post(f"/desk/{article.pk}/judgments/", data)
    judgment = Judgment.objects.get(article=article)
    assert judgment.probability == 0.7 and judgment.likelihood == "likely"
    preview = client.get(f"/desk/{article.pk}/").content.decode()
    assert f'data-judgment-id="{judgment.pk}"' in preview


def test_persons_are_listed_apart_from_the_other_actors(analyst):
    from geopol.extraction.models import Actor

    Actor.objects.create(
        slug="sudani-test",
        name="Mohammed Shia al-Sudani",
        kind="person",
        roles=[{"office": "Prime Minister of Iraq", "country": "IQ", "start": 2022, "end": None}],
    )
    client = client_for(analyst)
    article = start(client)
    client.post(f"/desk/{article.pk}/", fields(article, body=BODY))
    found = client.get(
        f"/desk/{article.pk}/reading/find/", {"kind": "person", "q": "Sudani"}
    ).content.decode()
    assert "Mohammed Shia al-Sudani" in found and "Prime Minister of Iraq" in found
    as_actor = client.get(f"/desk/{article.pk}/reading/find/", {"kind": "actor", "q": "Sudani"})
    assert "Mohammed Shia al-Sudani" not in as_actor.content.decode()
    client.post(f"/desk/{article.pk}/reading/add/person/", {"key": "sudani-test"})
    page = client.get(f"/desk/{article.pk}/").content.decode()
    persons = page.split("desk-entities-person")[1].split("</ul>")[0]
    actors = page.split("desk-entities-actor")[1].split("desk-entities-person")[0]
    assert 'data-entity="Mohammed Shia al-Sudani"' in persons
    assert "Prime Minister of Iraq, 2022–" in persons
    assert "al-Sudani" not in actors
    assert 'data-entity="Iraqi Security Forces"' in actors
