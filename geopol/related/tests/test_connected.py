"""Connected Content as readers get it: reasons in words, the paywall rule for reasons, the
editors' pins and hides, recomputation when tags change, and what a list costs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from geopol.articles.models import Access
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import ArticleEntity, Decision
from geopol.related.models import Curation, RelatedList
from geopol.related.services import related_for

pytestmark = pytest.mark.django_db

T0 = timezone.now() - dt.timedelta(days=30)


def connected(html: str) -> list[tuple[str, str]]:
    """(title, reason) of each Connected Content entry of a page."""
    section = html.split('id="connected-h"', 1)[1].split("</section>", 1)[0]
    return re.findall(
        r'<a href="[^"]+">([^<]+)</a> <span class="meta"><span class="connected-reason">([^<]+)',
        section,
    )


def member_client() -> Client:
    user = User.objects.create_user("member", password="x")
    user.user_permissions.add(Permission.objects.get(codename="read_members"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mali():
    query = ArticleFactory(
        title="Mali: Jihadists Push South",
        teaser="Fighting spread in central Mali.",
        body="Fighters of Ansar Dine took Konna on Thursday.\n\n"
        "The column had left Douentza two days before.",
        countries=["ML"],
        published_at=T0,
    )
    next_day = ArticleFactory(
        title="Mali: The Counter-Offensive",
        teaser="The army struck back.",
        body="Troops retook Douentza from Ansar Dine after a day of fighting.",
        countries=["ML"],
        published_at=T0 + dt.timedelta(days=1),
    )
    members_only = ArticleFactory(
        title="Sahel: A Quiet Assessment",
        teaser="What the next months may bring.",
        body="Commanders of Ansar Dine were seen in Douentza and Konna again.",
        access=Access.MEMBERS,
        published_at=T0 + dt.timedelta(days=3),
    )
    unrelated = ArticleFactory(
        title="Japan: The Yen Slides",
        body="The Bank of Japan held rates in Tokyo.",
        countries=["JP"],
        published_at=T0 + dt.timedelta(days=1),
    )
    return query, next_day, members_only, unrelated


def test_reasons_say_what_is_shared_in_words(client, mali):
    query, next_day, _, unrelated = mali
    entries = dict(connected(client.get(query.get_absolute_url()).text))
    assert entries[next_day.title] == "Also about Ansar Dine and Douentza · 1 day later"
    assert unrelated.title not in entries
    for reason in entries.values():
        assert "shared" not in reason and not re.search(r"\d+ (countr|actor|place)", reason)


def test_body_only_tags_of_a_members_only_piece_are_no_reason_for_others(client, mali):
    query, next_day, members_only, _ = mali
    anonymous = dict(connected(client.get(query.get_absolute_url()).text))
    member = dict(connected(member_client().get(query.get_absolute_url()).text))
    # a member reads both bodies: what they share is the reason
    assert member[members_only.title].startswith("Also about Ansar Dine")
    # an anonymous reader may not read that body: its tags are neither named nor ranked by;
    # its country is public metadata (docs/members.md), so it may come, after, for that
    assert anonymous[members_only.title] == "Also about Mali · 3 days later"
    assert list(anonymous).index(members_only.title) > list(anonymous).index(next_day.title)


def test_a_members_only_query_names_to_outsiders_only_what_they_may_see(client, mali):
    _, next_day, members_only, _ = mali
    anonymous = dict(connected(client.get(members_only.get_absolute_url()).text))
    assert all("Ansar Dine" not in r and "Douentza" not in r for r in anonymous.values())
    member = dict(connected(member_client().get(members_only.get_absolute_url()).text))
    assert "Ansar Dine" in member[next_day.title]
    # an editor confirming the tag makes it public metadata of the piece
    ArticleEntity.objects.filter(article=members_only, key="ansar-dine").update(
        decision=Decision.CONFIRMED
    )
    entity = ArticleEntity.objects.get(article=members_only, key="ansar-dine")
    entity.save()  # the editor's decision goes down the change path
    anonymous = dict(connected(client.get(members_only.get_absolute_url()).text))
    assert "Ansar Dine" in anonymous[next_day.title]


def test_editors_pin_and_hide(client, mali):
    query, next_day, _, unrelated = mali
    Curation.objects.create(article=query, target=unrelated, action=Curation.Action.PIN)
    Curation.objects.create(article=query, target=next_day, action=Curation.Action.HIDE)
    entries = connected(client.get(query.get_absolute_url()).text)
    assert entries[0] == (unrelated.title, "Chosen by the editors")
    assert next_day.title not in dict(entries)
    api = client.get(f"/api/v1/articles/{query.slug}").json()["connected"]
    assert api[0]["title"] == unrelated.title and api[0]["pinned"]
    assert next_day.title not in [c["title"] for c in api]


def test_the_api_carries_the_reason(client, mali):
    query, next_day, _, _ = mali
    api = {c["title"]: c for c in client.get(f"/api/v1/articles/{query.slug}").json()["connected"]}
    assert api[next_day.title]["reason"] == "Also about Ansar Dine and Douentza · 1 day later"
    assert {"slug", "url", "title"} <= set(api[next_day.title])


def test_lists_are_computed_again_when_tags_change(client, mali):
    query, next_day, _, unrelated = mali
    assert unrelated.title not in dict(connected(client.get(query.get_absolute_url()).text))
    assert RelatedList.objects.filter(article=query).exists()
    # an editor tags the Japan piece with Ansar Dine and Konna's actor: it joins the list
    source = ArticleEntity.objects.get(article=next_day, key="ansar-dine")
    ArticleEntity.objects.create(
        article=unrelated,
        kind="actor",
        key="ansar-dine",
        name="Ansar Dine",
        actor=source.actor,
        by_editor=True,
        decision=Decision.CONFIRMED,
    )
    entries = dict(connected(client.get(query.get_absolute_url()).text))
    assert entries[unrelated.title].startswith("Also about Ansar Dine")
    # and leaves it when the tag goes
    ArticleEntity.objects.get(article=unrelated, key="ansar-dine").delete()
    assert unrelated.title not in dict(connected(client.get(query.get_absolute_url()).text))


def test_a_kept_list_costs_the_same_few_queries_at_any_size(mali):
    query = mali[0]
    related_for(query, reader="member")  # computed and kept
    with CaptureQueriesContext(connection) as few:
        related_for(query, reader="member")
    for i in range(30):
        ArticleFactory(
            title=f"Mali: Konna Report {i}",
            body="Ansar Dine held Konna.",
            countries=["ML"],
            published_at=T0 + dt.timedelta(days=i),
        )
    related_for(query, reader="member")
    with CaptureQueriesContext(connection) as many:
        related_for(query, reader="member")
    assert len(many) == len(few) <= 3, "\n".join(q["sql"][:150] for q in many.captured_queries)


def test_editors_find_the_choices_on_the_article_admin_page(mali):
    query, next_day, _, _ = mali
    editor = User.objects.create_superuser("editor", password="x")
    admin = Client()
    admin.force_login(editor)
    page = admin.get(f"/admin/articles/article/{query.pk}/change/").text
    assert "Connected Content: pin an analysis" in page
    Curation.objects.create(article=query, target=next_day, action=Curation.Action.HIDE)
    listing = admin.get("/admin/related/curation/").text
    assert next_day.title in listing and "Hide" in listing
