"""API keys as an institutional client's developer meets them: create one on the account
page, call the API with it, get what the key's owner may read, hit the rate limit, revoke."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from geopol.articles.tests.factories import ArticleFactory
from geopol.members.models import ApiKey
from geopol.members.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
HIDDEN = "Envoys of Quorvane agreed the Mezzarine terms in private."


def _new_key(client, user, name="Risk dashboard") -> str:
    client.force_login(user)
    page = client.post(reverse("member-api-keys"), {"name": name})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    [key] = re.findall(r"data-api-key>(gpk_[A-Za-z0-9_-]+)<", page.text)
    client.logout()
    return key


def _members_piece():
    return ArticleFactory(access="members", teaser="Anyone sees this.", body="Lead.\n\n" + HIDDEN)


def test_a_key_reads_as_its_owner_and_the_paywall_holds_by_tier(client):
    piece = _members_piece()
    member_key = _new_key(client, MembershipFactory().user)
    free_key = _new_key(client, UserFactory())
    url = f"/api/v1/articles/{piece.slug}"
    assert client.get(url).json()["body_html"] is None  # anonymous
    as_member = client.get(url, HTTP_AUTHORIZATION=f"Bearer {member_key}")
    assert HIDDEN in as_member.json()["body_html"]
    assert "private" in as_member["Cache-Control"] and "Authorization" in as_member["Vary"]
    as_free = client.get(url, HTTP_X_API_KEY=free_key)
    assert as_free.status_code == 200 and as_free.json()["body_html"] is None


def test_the_key_is_shown_once_and_only_its_digest_is_stored(client):
    user = UserFactory()
    key = _new_key(client, user)
    stored = ApiKey.objects.get(user=user)
    assert key not in (stored.digest, stored.prefix) and stored.prefix in key
    client.force_login(user)
    listing = client.get(reverse("member-api-keys")).text
    assert "Risk dashboard" in listing and key not in listing


def test_a_wrong_or_revoked_key_is_refused_not_served_as_anonymous(client):
    user = MembershipFactory().user
    key = _new_key(client, user)
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    refused = client.get("/api/v1/articles", HTTP_AUTHORIZATION=f"Bearer {wrong}")
    assert refused.status_code == 401 and "API keys" in refused.json()["detail"]
    assert client.get("/api/v1/articles", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    client.force_login(user)
    record = ApiKey.objects.get(user=user)
    client.post(reverse("member-api-key-revoke", args=[record.pk]))
    client.logout()
    assert client.get("/api/v1/articles", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    # someone else cannot revoke your key
    other_key = _new_key(client, user, "Second")
    client.force_login(UserFactory())
    client.post(reverse("member-api-key-revoke", args=[ApiKey.objects.get(name="Second").pk]))
    client.logout()
    assert (
        client.get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 200
    )


def test_each_key_has_its_own_rate_limit(client, settings):
    settings.GEOPOL_API_KEY_RATE = 3
    first, second = _new_key(client, UserFactory()), _new_key(client, UserFactory())
    answers = [
        client.get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {first}").status_code
        for _ in range(4)
    ]
    assert answers[:3] == [200, 200, 200] and answers[3] == 429
    limited = client.get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert 1 <= int(limited["Retry-After"]) <= 60 and "3 requests a minute" in limited.text
    assert client.get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    assert client.get("/api/v1/regions").status_code == 200  # no key: not this limit


def test_a_key_needs_a_name(client):
    client.force_login(UserFactory())
    page = client.post(reverse("member-api-keys"), {"name": "  "}, follow=True)
    assert "Give the key a name" in page.text and not ApiKey.objects.exists()
