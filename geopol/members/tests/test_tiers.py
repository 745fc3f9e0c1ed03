"""Tiers, paid memberships, metering and institutional seats, as readers meet them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from geopol.articles.access import can_read, readable_tiers
from geopol.articles.tests.factories import ArticleFactory
from geopol.members.models import MeteredRead, Seat
from geopol.members.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    SeatFactory,
    UserFactory,
)
from geopol.members.tiers import Tier, tier_of

pytestmark = pytest.mark.django_db
HIDDEN = "Quorvane envoys signed the Mezzarine accord in secret."


def members_article(**kw):
    return ArticleFactory(
        access="members", teaser="A teaser anyone may read.", body="Opening.\n\n" + HIDDEN, **kw
    )


def test_tiers_from_anonymous_to_admin():
    from django.contrib.auth import get_user_model

    assert tier_of(AnonymousUser()) == Tier.ANONYMOUS
    assert tier_of(UserFactory()) == Tier.REGISTERED
    assert tier_of(MembershipFactory().user) == Tier.MEMBER
    assert tier_of(SeatFactory().user) == Tier.MEMBER
    assert tier_of(UserFactory(is_staff=True)) == Tier.EDITOR
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    assert tier_of(admin) == Tier.ADMIN


def test_a_current_membership_opens_members_articles_and_an_expired_one_does_not(client):
    article = members_article()
    current = MembershipFactory().user
    expired = MembershipFactory(
        ends_at=timezone.now() - dt.timedelta(days=1),
        starts_at=timezone.now() - dt.timedelta(days=30),
    ).user
    future = MembershipFactory(starts_at=timezone.now() + dt.timedelta(days=3)).user
    client.force_login(current)
    assert HIDDEN in client.get(article.get_absolute_url()).text
    assert "members" in readable_tiers(current)
    for user in (expired, future, UserFactory()):
        client.force_login(user)
        page = client.get(article.get_absolute_url()).text
        assert HIDDEN not in page and "This analysis is for members" in page
        assert not can_read(user, article)


def test_an_organizations_seat_gives_member_access_while_the_organization_is_current(client):
    article = members_article()
    seat = SeatFactory()
    client.force_login(seat.user)
    assert HIDDEN in client.get(article.get_absolute_url()).text
    seat.organization.access_until = timezone.now() - dt.timedelta(minutes=1)
    seat.organization.save()
    assert HIDDEN not in client.get(article.get_absolute_url()).text
    pending = SeatFactory(user=None, email="pending@example.org")
    assert not can_read(UserFactory(email=pending.email), article)


def test_metering_counts_per_account_and_tells_the_reader(client, settings):
    settings.GEOPOL_METERED_ARTICLES = 2
    first, second, third = members_article(), members_article(), members_article()
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(first.get_absolute_url()).text
    assert HIDDEN in page and "1 of 2 free members-only analyses left this month" in page
    # opening it again spends nothing
    assert "1 of 2 free" in client.get(first.get_absolute_url()).text
    # another browser, same account: the count follows the account, not the cookie
    from django.test import Client

    other_browser = Client()
    other_browser.force_login(reader)
    page = other_browser.get(second.get_absolute_url()).text
    assert HIDDEN in page and "0 of 2 free members-only analyses left" in page
    page = client.get(third.get_absolute_url()).text
    assert HIDDEN not in page
    assert "You have read your 2 free members-only analyses this month" in page
    assert MeteredRead.objects.filter(user=reader).count() == 2
    # what was opened stays readable this month, on other surfaces too
    api = client.get(f"/api/v1/articles/{first.slug}").json()
    assert api["readable"] and HIDDEN in api["body_html"]
    assert client.get(f"/api/v1/articles/{third.slug}").json()["body_html"] is None
    # the account page shows the meter
    assert "0 of 2 free members-only analyses left" in client.get(reverse("member-account")).text


def test_metering_starts_afresh_each_month(client, settings):
    settings.GEOPOL_METERED_ARTICLES = 1
    old, new = members_article(), members_article()
    reader = UserFactory()
    MeteredRead.objects.create(user=reader, article=old, month=dt.date(2020, 1, 1))
    client.force_login(reader)
    assert HIDDEN in client.get(new.get_absolute_url()).text
    assert HIDDEN not in client.get(old.get_absolute_url()).text


def test_metering_off_and_anonymous_readers_get_nothing(client, settings):
    article = members_article()
    settings.GEOPOL_METERED_ARTICLES = 0
    client.force_login(UserFactory())
    assert HIDDEN not in client.get(article.get_absolute_url()).text
    assert not MeteredRead.objects.exists()
    settings.GEOPOL_METERED_ARTICLES = 3
    client.logout()
    assert HIDDEN not in client.get(article.get_absolute_url()).text
    assert not MeteredRead.objects.exists()


def test_members_do_not_spend_metered_reads(client, settings):
    settings.GEOPOL_METERED_ARTICLES = 3
    member = MembershipFactory().user
    client.force_login(member)
    page = client.get(members_article().get_absolute_url()).text
    assert HIDDEN in page and "free members-only" not in page
    assert not MeteredRead.objects.exists()


def test_org_admin_invites_a_seat_which_the_invitee_accepts(client):
    admin_seat = SeatFactory(is_admin=True)
    org = admin_seat.organization
    client.force_login(admin_seat.user)
    response = client.post(org.get_absolute_url(), {"email": "Colleague@Example.org"})
    assert response.status_code == 302
    seat = Seat.objects.get(organization=org, email="colleague@example.org")
    assert seat.pending
    message = mail.outbox[-1]
    assert message.to == ["colleague@example.org"] and seat.token in message.body
    # someone else who got the link cannot take the seat
    intruder = UserFactory()
    client.force_login(intruder)
    client.post(reverse("seat-accept", args=[seat.token]))
    seat.refresh_from_db()
    assert seat.pending
    colleague = UserFactory(email="colleague@example.org")
    client.force_login(colleague)
    client.post(reverse("seat-accept", args=[seat.token]))
    seat.refresh_from_db()
    assert seat.user == colleague
    assert tier_of(colleague) == Tier.MEMBER


def test_seat_limit_counts_invitations(client):
    admin_seat = SeatFactory(is_admin=True, organization=OrganizationFactory(seat_limit=2))
    org = admin_seat.organization
    client.force_login(admin_seat.user)
    client.post(org.get_absolute_url(), {"email": "one@example.org"})
    response = client.post(org.get_absolute_url(), {"email": "two@example.org"})
    assert response.status_code == 200 and "All 2 seats are taken" in response.text
    assert org.seats.count() == 2


def test_org_admin_removes_a_seat_and_access_ends(client):
    admin_seat = SeatFactory(is_admin=True)
    org = admin_seat.organization
    member_seat = SeatFactory(organization=org)
    article = members_article()
    client.force_login(admin_seat.user)
    client.post(reverse("seat-remove", args=[org.slug, member_seat.pk]))
    assert not Seat.objects.filter(pk=member_seat.pk).exists()
    assert not can_read(type(member_seat.user).objects.get(pk=member_seat.user_id), article)


def test_an_org_admin_cannot_manage_another_organizations_seats(client):
    mine = SeatFactory(is_admin=True)
    theirs = SeatFactory(is_admin=True)
    their_member = SeatFactory(organization=theirs.organization)
    client.force_login(mine.user)
    other = theirs.organization
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(other.get_absolute_url(), {"email": "x@example.org"}).status_code == 404
    # nor through its own page with the other organization's seat id
    response = client.post(reverse("seat-remove", args=[mine.organization.slug, their_member.pk]))
    assert response.status_code == 404
    response = client.post(reverse("seat-remove", args=[other.slug, their_member.pk]))
    assert response.status_code == 404
    assert Seat.objects.filter(pk=their_member.pk).exists()
    assert not Seat.objects.filter(organization=other, email="x@example.org").exists()


def test_a_plain_seat_holder_is_not_an_org_admin(client):
    seat = SeatFactory()
    other = SeatFactory(organization=seat.organization)
    client.force_login(seat.user)
    assert client.get(seat.organization.get_absolute_url()).status_code == 404
    response = client.post(reverse("seat-remove", args=[seat.organization.slug, other.pk]))
    assert response.status_code == 404


def test_anonymous_readers_are_told_what_a_free_account_gives(client, settings):
    settings.GEOPOL_METERED_ARTICLES = 3
    page = client.get(members_article().get_absolute_url()).text
    assert "With a free account you can read 3 members-only analyses a month" in page


def test_staff_see_tier_memberships_and_seats_in_the_user_admin(client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    member = MembershipFactory(plan="Annual").user
    client.force_login(admin)
    listing = client.get("/admin/auth/user/").text
    row = next(r for r in listing.split("<tr") if member.email in r)
    assert '<td class="field-tier">Member</td>' in row
    page = client.get(f"/admin/auth/user/{member.pk}/change/").text
    assert "Annual" in page and "memberships" in page.lower()
