"""The desk through its pages, as an analyst and an editor use it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from geopol.articles.models import Article, Status
from geopol.desk.models import Notice, Piece, Transition

pytestmark = pytest.mark.django_db

BODY = (
    "Iraqi forces moved north from Kirkuk on Monday toward Hawija.\n\n"
    "The offensive will probably succeed before the rains, officials said."
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pane(page: str) -> str:
    """The preview pane of the editor's page."""
    return page.split('id="preview"')[1].split('class="desk-panels"')[0]


def start(client: Client, title: str = "Kirkuk: The Road North") -> Article:
    response = client.post("/desk/new/", {"title": title, "type": "analysis"})
    assert response.status_code == 302, response.content[:500]
    return Article.objects.get(title=title)


def fields(article: Article, **changes) -> dict:
    data = {
        "title": article.title,
        "body": BODY,
        "teaser": "",
        "type": "analysis",
        "access": "public",
        "published_at": "",
        "authors": "Ana",
        "topics": "",
        "countries": "IQ",
    }
    data.update(changes)
    return data


def test_the_desk_is_for_analysts_and_editors(client, reader):
    assert client.get("/desk/").status_code == 302  # to sign in
    assert client_for(reader).get("/desk/").status_code == 403


def test_groups_exist_with_their_permissions(analyst, editor):
    assert analyst.has_perm("desk.write_pieces") and not analyst.has_perm("desk.edit_pieces")
    assert not analyst.has_perm("articles.publish_article")
    assert editor.has_perm("desk.edit_pieces") and editor.has_perm("articles.publish_article")


def test_an_analyst_writes_a_draft_and_sees_it_in_my_drafts(analyst):
    client = client_for(analyst)
    article = start(client)
    assert article.status == Status.DRAFT
    assert Piece.objects.get(article=article).owner == analyst
    response = client.post(f"/desk/{article.pk}/", fields(article))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == BODY and article.word_count == 20
    assert list(article.countries.values_list("code", flat=True))[:1] == ["IQ"]
    page = client.get("/desk/").content.decode()
    drafts = page.split('id="s-draft"')[1].split("</section>")[0]
    assert "Kirkuk: The Road North" in drafts
    editor_page = client.get(f"/desk/{article.pk}/").content.decode()
    assert "20 words" in editor_page and "1 min read" in editor_page
    assert 'class="desk-title"' in editor_page and 'data-md="bold"' in editor_page


def test_an_analyst_cannot_publish(analyst):
    client = client_for(analyst)
    article = start(client)
    client.post(f"/desk/{article.pk}/", fields(article))
    for action in ("publish", "approve", "schedule"):
        response = client.post(f"/desk/{article.pk}/move/{action}/", {}, follow=True)
        assert "only an editor" in response.content.decode()
    assert client.post(f"/desk/{article.pk}/move/submit/").status_code == 302
    response = client.post(f"/desk/{article.pk}/move/publish/", {}, follow=True)
    assert "only an editor may publish now" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.REVIEW and not article.is_visible
    # no "Publish now" button is offered to them either
    assert "Publish now" not in client.get(f"/desk/{article.pk}/review/").content.decode()


def test_analysts_edit_only_their_own_drafts(analyst, other_analyst):
    article = start(client_for(analyst))
    response = client_for(other_analyst).post(
        f"/desk/{article.pk}/", fields(article, body="Vandalised."), follow=True
    )
    assert "you may not edit this piece" in response.content.decode()
    article.refresh_from_db()
    assert article.body == ""


def test_live_preview_renders_the_unsaved_text_as_the_page_will(analyst):
    client = client_for(analyst)
    article = start(client)
    response = client.post(
        f"/desk/{article.pk}/preview/",
        fields(article, title="Kirkuk: A New Title", body="## Stakes\n\nThe **oil** fields."),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="article-title">Kirkuk: A New Title</h1>' in html
    assert "<h2>Stakes</h2>" in html and "<strong>oil</strong>" in html
    assert response["X-Words"] == "4" and response["X-Reading"] == "1 min read"
    article.refresh_from_db()
    assert article.title == "Kirkuk: The Road North", "a preview saves nothing"


def test_preview_button_without_javascript(analyst):
    client = client_for(analyst)
    article = start(client)
    response = client.post(
        f"/desk/{article.pk}/", fields(article, body="Unsaved *words*.", preview="1")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Unsaved <em>words</em>." in html
    article.refresh_from_db()
    assert article.body == ""


def test_view_as_on_the_preview(analyst):
    client = client_for(analyst)
    article = start(client)
    hidden = "The second paragraph is for members."
    data = fields(article, access="members", teaser="Open part.", body=f"Open part.\n\n{hidden}")
    client.post(f"/desk/{article.pk}/", data)
    assert hidden in pane(client.get(f"/desk/{article.pk}/").content.decode())
    page = client.get(f"/desk/{article.pk}/", {"as": "anonymous"}).content.decode()
    anonymous = pane(page)
    assert hidden not in anonymous and "This analysis is for members" in anonymous
    assert 'aria-current="page">Anonymous</a>' in page
    live = client.post(f"/desk/{article.pk}/preview/?as=registered", data).content.decode()
    assert hidden not in live
    assert hidden in client.post(f"/desk/{article.pk}/preview/?as=member", data).content.decode()


def test_autosave_keeps_one_revision_per_sitting(analyst):
    client = client_for(analyst)
    article = start(client)
    before = article.revisions.count()
    for n in range(3):
        response = client.post(f"/desk/{article.pk}/autosave/", fields(article, body=f"Take {n}."))
        assert response.status_code == 200 and response.json()["words"] == 2
    article.refresh_from_db()
    assert article.body == "Take 2."
    assert article.revisions.count() == before + 1
    assert article.revisions.first().source == "autosave"


def test_autosave_refuses_a_published_piece(editor):
    client = client_for(editor)
    article = start(client)
    for action in ("submit", "approve", "publish"):
        client.post(f"/desk/{article.pk}/move/{action}/")
    response = client.post(f"/desk/{article.pk}/autosave/", fields(article, body="Half a sen"))
    assert response.status_code == 409
    article.refresh_from_db()
    assert article.body == "" and article.status == Status.PUBLISHED


def test_review_workflow_with_notices_and_a_record(
    analyst, editor, django_capture_on_commit_callbacks
):
    mine, theirs = client_for(analyst), client_for(editor)
    article = start(mine)
    mine.post(f"/desk/{article.pk}/", fields(article))
    mine.post(f"/desk/{article.pk}/reviewer/", {"reviewer": editor.pk})
    assert Notice.objects.filter(user=editor, text__contains="asks you to review").exists()
    mine.post(f"/desk/{article.pk}/move/submit/")
    mail.outbox.clear()
    response = theirs.post(f"/desk/{article.pk}/move/send_back/", {"reason": ""}, follow=True)
    assert "give a reason" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        theirs.post(
            f"/desk/{article.pk}/move/send_back/", {"reason": "Source the casualty figure."}
        )
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    notice = Notice.objects.filter(user=analyst).first()
    assert notice is not None and "Source the casualty figure." in notice.text
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert "Source the casualty figure." in mail.outbox[0].body
    assert "Source the casualty figure." in mine.get("/desk/").content.decode()
    mine.post(f"/desk/{article.pk}/move/submit/")
    theirs.post(f"/desk/{article.pk}/comments/", {"body": "Better. Approving."})
    theirs.post(f"/desk/{article.pk}/move/approve/")
    when = timezone.now() + dt.timedelta(hours=3)
    theirs.post(f"/desk/{article.pk}/move/schedule/", {"when": when.strftime("%Y-%m-%dT%H:%M")})
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED and not article.is_visible
    review = theirs.get(f"/desk/{article.pk}/review/").content.decode()
    assert "Better. Approving." in review
    record = [
        (t.source, t.target, t.by.username) for t in Transition.objects.filter(article=article)
    ]
    assert record[::-1] == [
        ("draft", "review", "ana"),
        ("review", "draft", "eddie"),
        ("draft", "review", "ana"),
        ("review", "approved", "eddie"),
        ("approved", "scheduled", "eddie"),
    ]
    assert "Approved → Scheduled</strong> by Eddie" in review


def test_a_scheduled_piece_whose_time_passed_reads_published(editor):
    client = client_for(editor)
    article = start(client)
    for action in ("submit", "approve"):
        client.post(f"/desk/{article.pk}/move/{action}/")
    when = timezone.now() + dt.timedelta(hours=1)
    client.post(f"/desk/{article.pk}/move/schedule/", {"when": when.strftime("%Y-%m-%dT%H:%M")})
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - dt.timedelta(minutes=5)
    )
    page = client.get(f"/desk/{article.pk}/").content.decode()
    assert re.search(r'class="stage stage-published">Published<', page)
    assert "Scheduled</span>" not in page
    listing = client.get("/desk/").content.decode()
    published = listing.split('id="s-published"')[1].split("</section>")[0]
    assert article.title in published
    assert article.title not in listing.split('id="s-scheduled"')[1].split("</section>")[0]
    # retracting it is an editor's move from Published
    client.post(f"/desk/{article.pk}/move/retract/", {"reason": "Wrong town."})
    article.refresh_from_db()
    assert article.status == Status.RETRACTED


def test_list_filters(analyst, editor):
    client = client_for(editor)
    start(client, "Kirkuk: The Road North")
    start(client, "Sahel: Juntas Together")
    page = client.get("/desk/", {"q": "sahel", "stage": "draft"}).content.decode()
    assert "Sahel: Juntas Together" in page and "Kirkuk: The Road North" not in page
    assert "Sahel" not in client_for(analyst).get("/desk/", {"mine": "1"}).content.decode()


def test_each_person_told_gets_their_own_email_in_text_and_html(
    analyst, editor, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group, User

    chief = User.objects.create_user("chief", email="chief@example.org", password="pw-tests-1")
    chief.groups.add(Group.objects.get(name="Editors"))
    mine = client_for(analyst)
    article = start(mine)
    mine.post(f"/desk/{article.pk}/", fields(article))
    mine.post(f"/desk/{article.pk}/reviewer/", {"reviewer": editor.pk})
    mine.post(f"/desk/{article.pk}/move/submit/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(chief).post(f"/desk/{article.pk}/move/approve/")
    assert sorted(m.to for m in mail.outbox) == [["ana@example.org"], ["eddie@example.org"]]
    for message in mail.outbox:
        assert message.cc == [] and message.bcc == []
        assert article.title in message.body
        assert f"/desk/{article.pk}/" in message.body
        [(html, kind)] = message.alternatives
        assert kind == "text/html" and 'href="http://' in html and article.title in html
    to_ana = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert to_ana.body.startswith("Hello Ana,")
