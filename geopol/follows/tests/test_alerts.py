"""Alerts and digests, sent through Django's SMTP backend to a real SMTP server (aiosmtpd)
started by the test, and read back from it."""

import datetime as dt
import re
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from geopol.articles.models import Access, Article, Status
from geopol.articles.tests.factories import ArticleFactory
from geopol.extraction.models import Actor, ArticleEntity, EntityKind
from geopol.follows import alerts, services, tasks
from geopol.follows.models import (
    AlertEmail,
    Delivery,
    DeliveryStatus,
    DigestSchedule,
    Follow,
    Frequency,
)
from geopol.follows.tests.conftest import html_of, run_tasks, text_of, wait_for
from geopol.geo.models import Country, Region

pytestmark = pytest.mark.django_db

SECRET = "The garrison at Sevare will probably hold for three more weeks."
BODY = f"Fighting moved south of Konna overnight.\n\n{SECRET}"


def publish(capture, **kwargs) -> Article:
    """An article becomes published the way an import or the admin does it: the
    content_changed signal, then the commit."""
    kwargs.setdefault("countries", ["ML"])
    with capture(execute=True):
        return ArticleFactory(body=BODY, teaser="Jihadists push south in Mali.", **kwargs)


def tomorrow_after_digest_hour() -> dt.datetime:
    return alerts.last_digest_time() + dt.timedelta(days=1, minutes=1)


def test_an_immediate_alert_says_why_and_comes_once_however_many_follows_match(
    make_user, inbox, django_capture_on_commit_callbacks
):
    ana = make_user("ana")
    services.follow(ana, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    services.follow(ana, Region.objects.get(slug="sub-saharan-africa"), Frequency.IMMEDIATE)
    services.follow(ana, Actor.objects.get(slug="aqim"), Frequency.DAILY)
    article = publish(django_capture_on_commit_callbacks, title="Mali: the push on Konna")
    ArticleEntity.objects.create(
        article=article, kind=EntityKind.ACTOR, key="aqim", name="AQIM", mentions=2
    )
    run_tasks()
    wait_for(inbox, 1)
    (message,) = inbox.to("ana@example.org")
    assert message["Subject"] == "Geopol alert: Mali: the push on Konna"
    text = text_of(message)
    assert "Why you got this: you follow Mali (primary country); you follow Sub-Saharan " in text
    assert SECRET in text  # a public article: the full text
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert re.fullmatch(r"<http://127\.0\.0\.1:8000/alerts/unsubscribe/[^>]+/>", unsubscribe)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith("<alert-email-")
    # running everything again (a second worker, a retry) sends nothing more
    tasks.match_article.enqueue(article.pk)
    tasks.send_due(timezone.now() + dt.timedelta(hours=1))
    run_tasks()
    assert len(inbox.to("ana@example.org")) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_the_database_refuses_a_second_alert_for_the_same_member_and_article(make_user):
    user = make_user("ben")
    article = ArticleFactory()
    Delivery.objects.create(user=user, article=article, mode="daily")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(user=user, article=article, mode="immediate")


def test_alerts_respect_the_members_tier(make_user, inbox, django_capture_on_commit_callbacks):
    free, member = make_user("cat"), make_user("dan", members=True)
    for user in (free, member):
        services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    publish(django_capture_on_commit_callbacks, title="Members: Sevare", access=Access.MEMBERS)
    run_tasks()
    wait_for(inbox, 2)
    (to_free,) = inbox.to("cat@example.org")
    (to_member,) = inbox.to("dan@example.org")
    for part in (text_of(to_free), html_of(to_free)):
        assert SECRET not in part and "Konna" not in part
        assert "Jihadists push south in Mali." in part  # the teaser
        assert "Become one to read it in full" in part
    assert SECRET in text_of(to_member) and SECRET in html_of(to_member)


def test_one_click_unsubscribe_works_without_login_or_csrf(
    make_user, inbox, django_capture_on_commit_callbacks
):
    user = make_user("eve")
    follow = services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    publish(django_capture_on_commit_callbacks)
    run_tasks()
    wait_for(inbox, 1)
    url = urlparse(str(inbox.to("eve@example.org")[0]["List-Unsubscribe"]).strip(" <>")).path
    mail_provider = Client(enforce_csrf_checks=True)
    # opening the link (a link scanner does) changes nothing
    assert "Stop these emails?" in mail_provider.get(url).content.decode()
    follow.refresh_from_db()
    assert follow.frequency == Frequency.IMMEDIATE
    response = mail_provider.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "alerts for Mali" in response.content.decode()
    follow.refresh_from_db()
    assert follow.frequency == Frequency.NONE
    # a forged or altered token is refused
    assert mail_provider.post(url.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404
    assert mail_provider.post("/alerts/unsubscribe/eyJ1IjoxfQ:bad:sig/").status_code == 404
    inbox.clear()
    publish(django_capture_on_commit_callbacks, title="Another Mali piece")
    run_tasks()
    assert inbox.raw == []


def test_a_scheduled_article_alerts_once_it_is_due(
    make_user, inbox, django_capture_on_commit_callbacks
):
    user = make_user("fay")
    services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    later = timezone.now() + dt.timedelta(hours=2)
    article = publish(
        django_capture_on_commit_callbacks, status=Status.SCHEDULED, published_at=later
    )
    assert run_tasks() == 0  # nothing yet: it is not published
    assert tasks.send_due()["articles"] == 0
    # the clock passes published_at; no signal is sent for that
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert tasks.send_due()["articles"] == 1
    run_tasks()
    wait_for(inbox, 1)
    assert len(inbox.to("fay@example.org")) == 1
    assert tasks.send_due()["articles"] == 0


def test_old_articles_and_imports_of_archives_alert_nobody(
    make_user, inbox, django_capture_on_commit_callbacks
):
    user = make_user("gus")
    services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    publish(django_capture_on_commit_callbacks, published_at=timezone.now() - dt.timedelta(days=9))
    tasks.send_due()
    run_tasks()
    assert inbox.raw == [] and not Delivery.objects.exists()


def test_daily_digest_lists_each_article_once_with_its_reason(
    make_user, inbox, django_capture_on_commit_callbacks
):
    free = make_user("hal")
    services.follow(free, Country.objects.get(code="ML"), Frequency.DAILY)
    services.follow(free, Region.objects.get(slug="sub-saharan-africa"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks, title="Mali one")
    publish(django_capture_on_commit_callbacks, title="Mali two, members", access=Access.MEMBERS)
    run_tasks()
    assert inbox.raw == []  # daily: nothing until the digest hour
    report = tasks.send_due(tomorrow_after_digest_hour())
    assert report["digest_members"] == 1
    run_tasks()
    wait_for(inbox, 1)
    (digest,) = inbox.to("hal@example.org")
    assert digest["Subject"] == "Geopol daily digest: 2 new analyses"
    text = text_of(digest)
    assert text.index("Mali two, members") < text.index("Mali one")  # newest first
    assert text.count("Why: you follow Mali (primary country); you follow Sub-Saharan") == 2
    assert "Members only" in text and "Become a member to read it" in text
    assert SECRET not in text and SECRET not in html_of(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    tasks.send_due(tomorrow_after_digest_hour())
    run_tasks()
    assert len(inbox.to("hal@example.org")) == 1


class KilledAfter(EmailBackend):
    """An SMTP backend whose process dies right after the server accepted message N: the
    worst moment, sent but not yet recorded."""

    def __init__(self, after: int, **kwargs):
        super().__init__(**kwargs)
        self.after, self.count = after, 0

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        self.count += sent
        if self.count >= self.after:
            raise SystemExit("worker killed")
        return sent


def test_a_worker_killed_mid_digest_sends_the_rest_after_a_restart_and_nothing_twice(
    make_user, inbox, django_capture_on_commit_callbacks
):
    users = [make_user(f"m{n}") for n in range(6)]
    for user in users:
        services.follow(user, Country.objects.get(code="ML"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks, title="Mali digest item")
    run_tasks()
    ids = [u.pk for u in users]
    with pytest.raises(SystemExit):
        alerts.send_digests(ids, tomorrow_after_digest_hour(), connection=KilledAfter(after=3))
    wait_for(inbox, 3)
    assert len(inbox.raw) == 3
    # restart: the timer's send-due finds who is still waiting; a worker sends
    report = tasks.send_due(tomorrow_after_digest_hour() + dt.timedelta(minutes=30))
    assert report["in_doubt"] == 1
    run_tasks()
    wait_for(inbox, 6)
    assert sorted(m["To"] for m in inbox.messages) == sorted(u.email for u in users)
    assert AlertEmail.objects.filter(status="sending").count() == 1  # the one in doubt
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["sending"] + ["sent"] * 5  # in doubt: never sent again
    tasks.send_due(tomorrow_after_digest_hour() + dt.timedelta(hours=2))
    run_tasks()
    assert len(inbox.raw) == 6


def test_a_refused_message_is_tried_again_and_two_senders_never_both_send(
    make_user, inbox, django_capture_on_commit_callbacks, settings
):
    user = make_user("ida")
    services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    publish(django_capture_on_commit_callbacks)
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # nothing listens on port 1: refused
    tasks.match_article.call(Article.objects.get().pk)
    delivery = Delivery.objects.get()
    assert alerts.send_alert(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert AlertEmail.objects.get().status == "failed"
    settings.EMAIL_PORT = port
    assert alerts.send_alert(delivery.pk) is True
    assert alerts.send_alert(delivery.pk) is False  # already sent
    wait_for(inbox, 1)
    assert len(inbox.raw) == 1


def test_unfollowing_drops_what_was_waiting(make_user, django_capture_on_commit_callbacks):
    user = make_user("jo")
    services.follow(user, Country.objects.get(code="ML"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks)
    run_tasks()
    services.unfollow(user, "country", "ML")
    assert Delivery.objects.get().status == DeliveryStatus.DROPPED
    assert not Follow.objects.exists()


def test_a_country_the_machine_found_in_a_hidden_body_alerts_every_follower(
    make_user, inbox, django_capture_on_commit_callbacks
):
    """Countries are public metadata: a free follower of France is alerted to a members-only
    piece the machine tagged with France (with its teaser only); the member gets the text."""
    free, member = make_user("kay"), make_user("lou", members=True)
    for user in (free, member):
        services.follow(user, Country.objects.get(code="FR"), Frequency.IMMEDIATE)
    article = publish(django_capture_on_commit_callbacks, access=Access.MEMBERS)
    # what the geoparser found in the members-only body
    ArticleEntity.objects.create(
        article=article, kind=EntityKind.COUNTRY, key="FR", name="France", mentions=2
    )
    article.country_links.create(country_id="FR", position=1, primary=False, by_editor=False)
    run_tasks()
    wait_for(inbox, 2)
    (teaser,) = inbox.to("kay@example.org")
    assert "you follow France" in text_of(teaser)
    assert "This analysis is for members" in text_of(teaser)
    (message,) = inbox.to("lou@example.org")
    assert "you follow France (mentioned 2 times)" in text_of(message)


def test_a_digest_lists_at_most_the_configured_number_and_says_how_many_more(
    make_user, inbox, django_capture_on_commit_callbacks, settings
):
    settings.GEOPOL_DIGEST_MAX_ITEMS = 2
    user = make_user("max")
    services.follow(user, Country.objects.get(code="ML"), Frequency.DAILY)
    for n in range(3):
        publish(django_capture_on_commit_callbacks, title=f"Mali note {n}")
    run_tasks()
    tasks.send_due(tomorrow_after_digest_hour())
    run_tasks()
    wait_for(inbox, 1)
    (digest,) = inbox.to("max@example.org")
    assert digest["Subject"] == "Geopol daily digest: 3 new analyses"
    text = text_of(digest)
    assert text.count("Why: you follow Mali") == 2 and "And 1 more in My Geopol" in text
    assert Delivery.objects.filter(status="sent").count() == 3


def test_a_digest_claimed_by_another_worker_is_not_sent_again_even_with_another_cutoff(
    make_user, inbox, django_capture_on_commit_callbacks
):
    user = make_user("ned")
    services.follow(user, Country.objects.get(code="ML"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks, title="Claimed elsewhere")
    run_tasks()
    first_cutoff = timezone.now()
    # a worker claimed this member's digest and is still talking to the mail server
    AlertEmail.objects.create(user=user, kind="digest", covers_until=first_cutoff)
    assert alerts.send_digests([user.pk], first_cutoff) == 0  # same cutoff: the DB refuses
    assert alerts.send_digests([user.pk], first_cutoff + dt.timedelta(hours=1)) == 0
    assert inbox.raw == []
    publish(django_capture_on_commit_callbacks, title="Published after that claim")
    run_tasks()
    assert alerts.send_digests([user.pk], timezone.now() + dt.timedelta(seconds=1)) == 1
    wait_for(inbox, 1)
    text = text_of(inbox.to("ned@example.org")[0])
    assert "Published after that claim" in text and "Claimed elsewhere" not in text


def test_old_deliveries_and_emails_are_forgotten_without_sending_anything_again(
    make_user, inbox, django_capture_on_commit_callbacks, settings
):
    settings.GEOPOL_ALERTS_KEEP_DAYS = 30
    sent_to, claimed = make_user("olga"), make_user("pia")
    services.follow(sent_to, Country.objects.get(code="ML"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks, title="Mali in the spring")
    run_tasks()
    tasks.send_due(tomorrow_after_digest_hour())
    run_tasks()
    wait_for(inbox, 1)
    assert [m["To"] for m in inbox.messages] == ["olga@example.org"]
    # pia's digest was claimed by a worker that died before confirming it (in doubt), and
    # no digest task has run for her since: her delivery still looks pending
    services.follow(claimed, Country.objects.get(code="NE"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks, title="Niger in the spring", countries=["NE"])
    run_tasks()
    AlertEmail.objects.create(user=claimed, kind="digest", covers_until=timezone.now())
    assert Delivery.objects.filter(status="pending").count() == 1

    report = tasks.send_due(timezone.now() + dt.timedelta(days=29))
    assert (report["pruned_deliveries"], report["pruned_emails"]) == (0, 0)
    report = tasks.send_due(timezone.now() + dt.timedelta(days=31))
    assert (report["pruned_deliveries"], report["pruned_emails"]) == (2, 2)
    assert not Delivery.objects.exists() and not AlertEmail.objects.exists()
    run_tasks()  # the digest task queued for pia finds nothing left to send
    assert len(inbox.raw) == 1  # the in-doubt digest was not sent again after its claim went

    # what is still waiting is kept, however old
    publish(django_capture_on_commit_callbacks, title="Mali in the autumn")
    run_tasks()
    assert alerts.prune(timezone.now() + dt.timedelta(days=60)) == {"deliveries": 0, "emails": 0}
    assert Delivery.objects.filter(status="pending").count() == 1


def test_an_old_article_published_again_after_its_deliveries_were_forgotten_alerts_nobody(
    make_user, inbox, django_capture_on_commit_callbacks, settings
):
    from geopol.follows.models import MatchedArticle

    settings.GEOPOL_ALERTS_KEEP_DAYS = 30
    user = make_user("xia")
    services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    article = publish(django_capture_on_commit_callbacks, title="Mali, once")
    run_tasks()
    wait_for(inbox, 1)
    # three months pass; the delivery and its email are forgotten
    earlier = timezone.now() - dt.timedelta(days=91)
    Article.objects.filter(pk=article.pk).update(published_at=earlier)
    Delivery.objects.update(created_at=earlier)
    AlertEmail.objects.update(created_at=earlier)
    MatchedArticle.objects.update(first_matched_at=earlier, matched_at=earlier)
    assert alerts.prune() == {"deliveries": 1, "emails": 1}
    # an editor publishes it again with today's date, as the admin's "Publish now" does
    from geopol.articles.services import render_article

    with django_capture_on_commit_callbacks(execute=True):
        article.refresh_from_db()
        article.published_at = timezone.now()
        article.save()
        render_article(article)
    run_tasks()
    tasks.send_due()
    run_tasks()
    assert len(inbox.raw) == 1 and not Delivery.objects.exists()


def test_keeping_deliveries_shorter_than_the_alert_window_is_refused(settings):
    settings.GEOPOL_ALERTS_KEEP_DAYS = 1
    settings.GEOPOL_ALERTS_MAX_AGE_HOURS = 48
    with pytest.raises(CommandError, match=r"GEOPOL_ALERTS_KEEP_DAYS \(1\) must be longer than"):
        call_command("send_alerts", "prune")
    # and the site says so when it starts (Django's system checks)
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match=r"geopol\.E001"):
        call_command("check")


def test_keeping_everything_is_possible(
    make_user, inbox, django_capture_on_commit_callbacks, settings
):
    user = make_user("dee")
    services.follow(user, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    publish(django_capture_on_commit_callbacks, title="Mali, kept")
    run_tasks()
    wait_for(inbox, 1)
    later = timezone.now() + dt.timedelta(days=10_000)
    settings.GEOPOL_ALERTS_KEEP_DAYS = 0
    assert alerts.prune(later) == {"deliveries": 0, "emails": 0}
    settings.GEOPOL_ALERTS_KEEP_DAYS = 10**8  # "forever", past what the calendar allows
    assert alerts.prune(later) == {"deliveries": 0, "emails": 0}
    assert Delivery.objects.count() == 1 and AlertEmail.objects.count() == 1
    settings.GEOPOL_ALERTS_KEEP_DAYS = 90  # the same data is old enough to go otherwise
    assert alerts.prune(later) == {"deliveries": 1, "emails": 1}


def test_the_digest_moment_is_the_members_hour_in_their_time_zone():
    june = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)
    assert alerts.last_digest_time(june, 7, "Asia/Tokyo") == dt.datetime(
        2026, 6, 9, 22, 0, tzinfo=dt.UTC
    )
    assert alerts.last_digest_time(june, 13, "UTC") == dt.datetime(2026, 6, 9, 13, tzinfo=dt.UTC)
    # Paris on the day clocks go back: 08:00 local is 07:00 UTC, the day before it was 06:00
    after = dt.datetime(2026, 10, 25, 7, 30, tzinfo=dt.UTC)
    assert alerts.last_digest_time(after, 8, "Europe/Paris") == dt.datetime(
        2026, 10, 25, 7, 0, tzinfo=dt.UTC
    )
    assert alerts.last_digest_time(after - dt.timedelta(hours=1), 8, "Europe/Paris") == (
        dt.datetime(2026, 10, 24, 6, 0, tzinfo=dt.UTC)
    )


def test_each_member_gets_the_digest_after_their_own_hour_in_their_time_zone(
    make_user, inbox, django_capture_on_commit_callbacks, settings, client
):
    now = timezone.now()
    first = (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    settings.GEOPOL_DIGEST_HOUR = (first + dt.timedelta(hours=2)).hour  # the site's default, UTC
    early, default = make_user("quinn"), make_user("rita")
    for user in (early, default):
        services.follow(user, Country.objects.get(code="ML"), Frequency.DAILY)
    client.force_login(early)
    tokyo_hour = first.astimezone(ZoneInfo("Asia/Tokyo")).hour
    response = client.post(
        "/my/digest/", {"hour": str(tokyo_hour), "timezone": "Asia/Tokyo"}, follow=True
    )
    assert f"Your daily digest now comes after {tokyo_hour:02d}:00, Asia/Tokyo." in (
        response.content.decode()
    )
    publish(django_capture_on_commit_callbacks, title="Mali at dawn")
    run_tasks()

    assert tasks.send_due(first - dt.timedelta(minutes=1))["digest_members"] == 0
    assert tasks.send_due(first + dt.timedelta(minutes=1))["digest_members"] == 1
    run_tasks()
    wait_for(inbox, 1)
    assert [m["To"] for m in inbox.messages] == ["quinn@example.org"]
    assert tasks.send_due(first + dt.timedelta(hours=2, minutes=1))["digest_members"] == 1
    run_tasks()
    wait_for(inbox, 2)
    assert sorted(m["To"] for m in inbox.messages) == ["quinn@example.org", "rita@example.org"]


def test_a_time_zone_that_does_not_exist_is_refused_by_name(make_user, client):
    client.force_login(make_user("sam"))
    page = client.post("/my/digest/", {"hour": "7", "timezone": "Mars/Olympus"}, follow=True)
    text = page.content.decode()
    assert "Daily digest, Time zone: Mars/Olympus is not a time zone we know" in text
    assert not DigestSchedule.objects.exists()


def test_a_digest_gives_paying_members_and_organization_seats_the_full_access(
    make_user, inbox, django_capture_on_commit_callbacks
):
    from geopol.members.models import Membership, Organization, Seat

    paid, seated, free, lapsed = (make_user(n) for n in ("tess", "uma", "vic", "wes"))
    Membership.objects.create(user=paid)
    Membership.objects.create(
        user=lapsed,
        starts_at=timezone.now() - dt.timedelta(days=60),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    org = Organization.objects.create(name="Ministry", slug="ministry")
    Seat.objects.create(organization=org, email=seated.email, user=seated)
    for user in (paid, seated, free, lapsed):
        services.follow(user, Country.objects.get(code="ML"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks, title="Members on Mali", access=Access.MEMBERS)
    run_tasks()
    tasks.send_due(tomorrow_after_digest_hour())
    run_tasks()
    wait_for(inbox, 4)
    for address in ("tess@example.org", "uma@example.org"):
        (digest,) = inbox.to(address)
        assert "Become a member to read it" not in text_of(digest), address
    for address in ("vic@example.org", "wes@example.org"):
        (digest,) = inbox.to(address)
        assert "Become a member to read it" in text_of(digest), address


def test_a_deactivated_account_gets_no_alert_and_no_digest(
    make_user, inbox, django_capture_on_commit_callbacks
):
    at_once, daily, active = make_user("yan"), make_user("zoe"), make_user("abe")
    services.follow(at_once, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    services.follow(daily, Country.objects.get(code="ML"), Frequency.DAILY)
    services.follow(active, Country.objects.get(code="ML"), Frequency.DAILY)
    # yan is deactivated before anything is published, zoe once her delivery is recorded
    type(at_once).objects.filter(pk=at_once.pk).update(is_active=False)
    publish(django_capture_on_commit_callbacks, title="Mali before")
    run_tasks()
    assert not Delivery.objects.filter(user=at_once).exists()
    type(daily).objects.filter(pk=daily.pk).update(is_active=False)
    tasks.send_due(tomorrow_after_digest_hour())
    run_tasks()
    wait_for(inbox, 1)
    assert [m["To"] for m in inbox.messages] == ["abe@example.org"]
    assert set(Delivery.objects.filter(user=daily).values_list("status", flat=True)) == {"dropped"}


def test_an_address_the_mail_server_refuses_for_good_is_not_tried_every_minute(
    make_user, inbox, django_capture_on_commit_callbacks
):
    at_once, daily, fine = make_user("bounce-ann"), make_user("bounce-ben"), make_user("cal")
    services.follow(at_once, Country.objects.get(code="ML"), Frequency.IMMEDIATE)
    services.follow(daily, Country.objects.get(code="ML"), Frequency.DAILY)
    services.follow(fine, Country.objects.get(code="ML"), Frequency.DAILY)
    publish(django_capture_on_commit_callbacks, title="Mali, undeliverable")
    run_tasks()
    tasks.send_due(tomorrow_after_digest_hour())
    run_tasks()
    wait_for(inbox, 1)
    assert [m["To"] for m in inbox.messages] == ["cal@example.org"]
    failed = AlertEmail.objects.filter(status="failed")
    assert failed.count() == 2 and all("550" in e.error for e in failed)
    assert set(Delivery.objects.exclude(user=fine).values_list("status", flat=True)) == {"dropped"}
    # the next minutes try nothing again
    tasks.send_due(tomorrow_after_digest_hour() + dt.timedelta(minutes=5))
    run_tasks()
    assert AlertEmail.objects.count() == 3
