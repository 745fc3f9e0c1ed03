"""Article pages come from a cache shared by every reader of one kind (pagecache): what must
never cross from one reader to another, and what must reach the page after an edit.

Data is created inside `django_capture_on_commit_callbacks(execute=True)`, as if committed:
until a transaction with edits commits, its own process renders pages without the cache."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone

from geopol.articles import pagecache, views
from geopol.articles.models import Article, Status
from geopol.articles.services import render_article, set_countries
from geopol.articles.tests.factories import ArticleFactory
from geopol.follows.models import Bookmark
from geopol.members.models import MeteredRead
from geopol.members.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HIDDEN = "The Vardellan envoy will almost certainly walk out of the Porrith talks."
BODY = f"The talks opened in Niamey under heavy guard.\n\n{HIDDEN}"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks, as a commit would (pages cached from then on)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def renders():
    """Counts the renderings of shared pages: a page served from the cache adds none."""
    with mock.patch.object(views, "_render_shared_page", wraps=views._render_shared_page) as render:
        yield render


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def bookmark_url(html: str) -> str:
    return re.search(r'class="bookmark-form" method="post" action="([^"]+)"', html).group(1)


def test_members_share_one_rendering_but_never_a_token_or_bookmark(committed, renders):
    with committed():
        article = ArticleFactory(access="members", body=BODY, countries=["NE"])
        alice, bob = MembershipFactory().user, MembershipFactory().user
        Bookmark.objects.create(user=alice, article=article)
    as_alice, as_bob = signed_in(alice), signed_in(bob)

    alice_page = as_alice.get(article.get_absolute_url()).text
    bob_page = as_bob.get(article.get_absolute_url()).text
    assert renders.call_count == 1, "the second member's page should come from the cache"
    assert HIDDEN in alice_page and HIDDEN in bob_page
    assert "Saved · Remove from reading list" in alice_page
    assert "Saved" not in bob_page and "Save for later" in bob_page
    # each form carries its own reader's CSRF secret (cookie), never the other's
    alice_secret = as_alice.cookies["csrftoken"].value
    bob_secret = as_bob.cookies["csrftoken"].value
    assert alice_secret != bob_secret
    assert _unmask_cipher_token(form_token(alice_page)) == alice_secret
    assert _unmask_cipher_token(form_token(bob_page)) == bob_secret

    # and the form works: CSRF is enforced and passes with the token of the cached page
    as_bob_strict = Client(enforce_csrf_checks=True)
    as_bob_strict.cookies = as_bob.cookies
    form = {"csrfmiddlewaretoken": form_token(bob_page), "next": article.get_absolute_url()}
    assert as_bob_strict.post(bookmark_url(bob_page), form).status_code == 302
    assert Bookmark.objects.filter(user=bob, article=article).exists()
    alice_strict = Client(enforce_csrf_checks=True)
    alice_strict.cookies = as_alice.cookies
    stolen = {"csrfmiddlewaretoken": form_token(bob_page), "next": "/"}
    assert alice_strict.post(bookmark_url(bob_page), stolen).status_code == 403


@pytest.mark.parametrize("member_first", [True, False])
def test_each_kind_of_reader_gets_its_own_page_in_any_order(committed, renders, member_first):
    with committed():
        article = ArticleFactory(access="members", body=BODY, countries=["NE"])
        member, free = MembershipFactory().user, UserFactory()
    readers = {"member": signed_in(member), "free": signed_in(free), "anonymous": Client()}
    order = ["member", "free", "anonymous"] if member_first else ["anonymous", "free", "member"]
    for _ in range(2):  # the second round comes from the cache
        for reader in order:
            page = readers[reader].get(article.get_absolute_url()).text
            if reader == "member":
                assert HIDDEN in page and "This analysis is for members" not in page
            else:
                assert HIDDEN not in page and "This analysis is for members" in page
            signed = reader != "anonymous"
            assert ("Your account" in page) is signed and ("Sign in" in page) is not signed
    assert renders.call_count == 3


def test_a_metered_read_is_counted_when_the_page_comes_from_the_cache(committed, renders, settings):
    settings.GEOPOL_METERED_ARTICLES = 1
    with committed():
        first = ArticleFactory(access="members", body=BODY, countries=["NE"])
        second = ArticleFactory(access="members", body=BODY, countries=["NE"])
        member, reader, other = MembershipFactory().user, UserFactory(), UserFactory()
    signed_in(member).get(first.get_absolute_url())  # caches the full, signed-in page
    as_reader = signed_in(reader)

    page = as_reader.get(first.get_absolute_url()).text
    assert renders.call_count == 1
    assert HIDDEN in page and "0 of 1 free members-only analyses left this month" in page
    assert MeteredRead.objects.filter(user=reader).count() == 1
    page = as_reader.get(second.get_absolute_url()).text
    assert HIDDEN not in page
    assert "You have read your 1 free members-only analyses this month" in page
    # another free reader's page says their own count
    page = signed_in(other).get(second.get_absolute_url()).text
    assert HIDDEN in page and "0 of 1 free" in page
    assert MeteredRead.objects.filter(user=other).count() == 1


def test_an_edit_reaches_every_cached_page(committed):
    with committed():
        article = ArticleFactory(title="Niger: Talks Open", countries=["NE"], body=BODY)
        older = ArticleFactory(
            title="Niger: The Junta Digs In",
            countries=["NE"],
            published_at=timezone.now() - dt.timedelta(days=40),
        )
    reader = Client()
    page = reader.get(article.get_absolute_url()).text
    assert "Niger: The Junta Digs In" in page and "Porrith" in page
    assert "Niger: Talks Open" in reader.get(older.get_absolute_url()).text

    with committed():  # the editor saves a new text, as the admin does
        article.body = "The talks opened in Niamey and closed within the hour."
        article.title = "Niger: Talks Collapse"
        article.save()
        render_article(article)
    page = reader.get(article.get_absolute_url()).text
    assert "Niger: Talks Collapse" in page and "closed within the hour" in page
    assert "Porrith" not in page
    # other articles' Connected Content shows the new title too
    assert "Niger: Talks Collapse" in reader.get(older.get_absolute_url()).text

    with committed():  # a new analysis sharing both countries, then a retraction
        set_countries(article, ["NE", "ML"])
        newer = ArticleFactory(title="Sahel: Two Juntas, One Front", countries=["NE", "ML"])
    page = reader.get(article.get_absolute_url()).text
    assert page.index("Sahel: Two Juntas") < page.index("Niger: The Junta Digs In")
    assert "Mali" in page
    with committed():
        newer.status = Status.RETRACTED
        newer.save()
    assert "Sahel: Two Juntas" not in reader.get(article.get_absolute_url()).text
    with committed():
        older.delete()
    assert "Nothing connected yet" in reader.get(article.get_absolute_url()).text


def test_a_scheduled_article_joins_connected_content_when_due(committed):
    now = timezone.now()
    with committed():
        article = ArticleFactory(countries=["NE"])
        ArticleFactory(
            title="Niger: What Comes Next",
            countries=["NE"],
            status=Status.SCHEDULED,
            published_at=now + dt.timedelta(hours=1),
        )
    reader = Client()
    assert "What Comes Next" not in reader.get(article.get_absolute_url()).text
    later = now + dt.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "What Comes Next" in reader.get(article.get_absolute_url()).text


def test_uncommitted_edits_are_not_cached_for_others(renders):
    """Inside the transaction that edits (here: the test's), pages bypass the cache."""
    article = ArticleFactory(countries=["NE"])
    Client().get(article.get_absolute_url())
    Client().get(article.get_absolute_url())
    assert renders.call_count == 2
    assert Article.objects.count() == 1


def test_connected_content_of_a_hidden_body_goes_through_its_countries(committed):
    """Connected Content links through countries, which every reader is shown (the
    machine's too): the anonymous reader's shared page lists the piece connected through
    Burkina Faso as the member's does, and shows the country it is connected through."""
    body = (
        "The junta in Niamey hardened its line.\n\n"
        "Officials in Ouagadougou said Burkina Faso would send a battalion to Niger."
    )
    with committed():
        article = ArticleFactory(access="members", body=body, countries=["NE"])
        ArticleFactory(title="Burkina Faso: The Second Coup", countries=["BF"])
        member = MembershipFactory().user
    assert article.country_links.filter(country_id="BF", by_editor=False).exists()
    assert "Burkina Faso: The Second Coup" in signed_in(member).get(article.get_absolute_url()).text
    anonymous = Client().get(article.get_absolute_url()).text
    assert "Burkina Faso: The Second Coup" in anonymous
    assert 'href="/countries/burkina-faso/"' in anonymous
    api = f"/api/v1/articles/{article.slug}"
    assert signed_in(member).get(api).json()["connected"]
    assert Client().get(api).json()["connected"]


def test_a_page_kept_in_process_memory_still_changes_with_an_edit(committed, renders):
    """Each process keeps the pages it served in memory, in front of the shared cache, and
    drops them exactly when the shared cache would: an edit reaches them too."""
    with committed():
        article = ArticleFactory(title="Niger: Talks Open", countries=["NE"], body=BODY)
    reader = Client()
    page = reader.get(article.get_absolute_url()).text
    # the shared copy goes, the tokens stay: the page comes from this process's memory
    tokens = cache.get_many(
        [
            pagecache.GENERATION_KEY,
            pagecache.ARTICLE_KEY.format(article.pk),
            pagecache.COUNTRY_KEY.format("NE"),
        ]
    )
    assert len(tokens) == 3
    cache.clear()
    cache.set_many(tokens, None)
    assert reader.get(article.get_absolute_url()).text == page
    assert renders.call_count == 1

    with committed():  # the editor saves a new title, as the admin does
        article.title = "Niger: Talks Collapse"
        article.save()
    page = reader.get(article.get_absolute_url()).text
    assert "Niger: Talks Collapse" in page and "Niger: Talks Open" not in page
    assert renders.call_count == 2


def test_an_edit_leaves_the_pages_of_unconnected_articles_cached(committed, renders):
    """Only the edited article, its listings and the pages that connect to it render again
    (an import no longer empties the whole cache: issue 15.7)."""
    with committed():
        niger = ArticleFactory(title="Niger: Talks Open", countries=["NE"], body=BODY)
        peru = ArticleFactory(title="Peru: A New Cabinet", countries=["PE"])
        neighbour = ArticleFactory(title="Niger: The Junta Digs In", countries=["NE"])
    reader = Client()
    assert "Niger: The Junta Digs In" in reader.get(niger.get_absolute_url()).text
    reader.get(peru.get_absolute_url())
    assert renders.call_count == 2

    with committed():
        neighbour.title = "Niger: The Junta Gives Way"
        neighbour.save()
        render_article(neighbour)
    reader.get(peru.get_absolute_url())
    assert renders.call_count == 2, "an unconnected article's page should stay cached"
    assert "Niger: The Junta Gives Way" in reader.get(niger.get_absolute_url()).text
    assert renders.call_count == 3

    with committed():  # an article moves to Peru: both countries' pages change
        set_countries(neighbour, ["PE"])
    assert "Niger: The Junta Gives Way" not in reader.get(niger.get_absolute_url()).text
    assert "Niger: The Junta Gives Way" in reader.get(peru.get_absolute_url()).text


def test_an_import_keeps_other_countries_pages_cached(committed, renders):
    from geopol.articles.importers import ArticleData
    from geopol.articles.services import import_articles

    with committed():
        peru = ArticleFactory(title="Peru: A New Cabinet", countries=["PE"])
    reader = Client()
    reader.get(peru.get_absolute_url())
    published = timezone.now() - dt.timedelta(hours=1)
    with committed():
        import_articles(
            [
                ArticleData(
                    title=f"Mali: Note {n}", body=BODY, published=published, countries=["ML"]
                )
                for n in range(5)
            ]
        )
    assert renders.call_count == 1
    page = reader.get(peru.get_absolute_url()).text
    assert renders.call_count == 1 and "Peru: A New Cabinet" in page
    assert "Mali: Note 4" in reader.get("/").text


@pytest.fixture
def home_renders():
    with mock.patch.object(views, "_render_home", wraps=views._render_home) as render:
        yield render


def test_the_home_page_is_cached_per_kind_of_reader_and_follows_edits(committed, home_renders):
    with committed():
        article = ArticleFactory(title="Niger: Talks Open", countries=["NE"])
        member = MembershipFactory().user
    first, second = Client().get("/").text, Client().get("/").text
    assert first == second and "Niger: Talks Open" in first
    assert home_renders.call_count == 1, "the second reader's home page should be cached"
    as_member = signed_in(member).get("/").text
    assert home_renders.call_count == 2
    assert "Your account" in as_member and "Your account" not in first
    signed_in(member).get("/")
    assert home_renders.call_count == 2

    with committed():
        article.title = "Niger: Talks Collapse"
        article.save()
    assert "Niger: Talks Collapse" in Client().get("/").text
    assert home_renders.call_count == 3


def test_resolving_a_key_judgment_renders_only_its_articles_pages_again(committed, renders):
    """A judgment's save reaches the cache as its article's change; it used to start a new
    generation, so one resolution (or an import with judgments) re-rendered every page."""
    from geopol.articles.importers.judgments import JudgmentData
    from geopol.forecasts.services import resolve_judgment, set_judgments

    with committed():
        niger = ArticleFactory(title="Niger: Talks Open", countries=["NE"], body=BODY)
        peru = ArticleFactory(title="Peru: A New Cabinet", countries=["PE"])
        [judgment] = set_judgments(
            niger, [JudgmentData("The talks will fail by June.", "likely", 0.7)]
        )
    reader = Client()
    assert "Came true" not in reader.get(niger.get_absolute_url()).text
    reader.get(peru.get_absolute_url())
    assert renders.call_count == 2

    with committed():
        resolve_judgment(judgment, "true", note="The envoy walked out.")
    reader.get(peru.get_absolute_url())
    assert renders.call_count == 2, "an unconnected article's page should stay cached"
    assert "Came true" in reader.get(niger.get_absolute_url()).text
    assert renders.call_count == 3
