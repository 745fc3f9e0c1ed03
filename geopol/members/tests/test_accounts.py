"""Accounts through django-allauth: sign up, verification, sign in and out, password reset,
change of email, deletion; and the security around them (Argon2, lock-out, enumeration,
session fixation, open redirects, CSP, check --deploy)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.urls import reverse

from geopol.members.models import Membership, MeteredRead, Seat
from geopol.members.tests.factories import (
    PASSWORD,
    MembershipFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"https?://[^\s]+")


def _link(message) -> str:
    return LINK.search(message.body).group(0)


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_sign_up_verify_email_and_sign_in(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.reader@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.reader@example.org")
    assert user.password.startswith("argon2$"), "passwords are hashed with Argon2"
    # not signed in until the address is verified
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.reader@example.org"]
    confirm = _link(mail.outbox[0])
    client.post(confirm)
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session[SESSION_KEY]) == user.pk
    assert "Registered reader" in client.get(reverse("member-account")).text


def test_unverified_address_cannot_sign_in(client):
    user = UserFactory(verified=False)
    response = _sign_in(client, user.email)
    assert SESSION_KEY not in client.session
    assert response.status_code == 302 and "confirm-email" in response.url


def test_sign_in_with_email_and_sign_out(client):
    user = UserFactory()
    response = _sign_in(client, user.email.upper())
    assert response.status_code == 302
    assert response.url == reverse("member-account")
    assert int(client.session[SESSION_KEY]) == user.pk
    page = client.get("/").text
    assert "Your account" in page and "/admin/login/" not in page
    client.post(reverse("account_logout"))
    assert SESSION_KEY not in client.session


def test_article_paywall_links_to_allauth_not_the_admin(client):
    from geopol.articles.tests.factories import ArticleFactory

    article = ArticleFactory(access="members")
    page = client.get(article.get_absolute_url()).text
    assert "/admin/login/" not in page
    assert reverse("account_login") + "?next=" in page
    assert reverse("membership") in page


def test_pages_are_styled_by_the_site(client):
    page = client.get(reverse("account_login")).text
    assert "geopol/site.css" in page and 'class="account-page"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client):
    user = UserFactory(email="known@example.org")
    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    done_known = client.get(known.url).text
    done_unknown = client.get(unknown.url).text
    assert done_known == done_unknown
    # the owner gets a working link; the unknown address only a note that no account exists
    to_known = next(m for m in mail.outbox if m.to == ["known@example.org"])
    to_unknown = next(m for m in mail.outbox if m.to == ["nobody@example.org"])
    assert "password/reset/key" in to_known.body
    assert "password/reset/key" not in to_unknown.body
    # the link works once
    link = _link(to_known)
    form_url = client.get(link).url  # allauth moves the key into the session
    response = client.post(
        form_url, {"password1": "a brand new passphrase 9", "password2": "a brand new passphrase 9"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase 9")


def test_change_of_email_needs_verification(client):
    user = UserFactory(email="old@example.org")
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    added = EmailAddress.objects.get(user=user, email="new@example.org")
    assert not added.verified
    user.refresh_from_db()
    assert user.email == "old@example.org", "the old address stays until the new one is confirmed"
    assert mail.outbox[-1].to == ["new@example.org"]
    client.post(_link(mail.outbox[-1]))
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("new@example.org", True)
    ]


def test_account_deletion_deletes_the_members_data_and_says_so(client):
    from geopol.articles.tests.factories import ArticleFactory

    user = UserFactory()
    MembershipFactory(user=user)
    seat = SeatFactory(user=user)
    MeteredRead.objects.create(user=user, article=ArticleFactory(), month="2026-01-01")
    client.force_login(user)
    wrong = client.post(reverse("member-delete"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 200 and User.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("member-delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    text = response.text
    assert "Your account is deleted" in text and user.email in text
    assert "1 memberships" in text and "1 seats" in text and "1 metered reads" in text
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()
    assert not Seat.objects.filter(pk=seat.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert SESSION_KEY not in client.session


def test_brute_force_is_locked_out(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, user.email, "wrong password")
    response = _sign_in(client, user.email)  # the right password, too late
    assert response.status_code in (403, 429)
    assert "Too many failed sign-ins" in response.text
    assert SESSION_KEY not in client.session
    # another account from the same address is not locked
    other = UserFactory()
    assert _sign_in(client, other.email).status_code == 302
    assert int(client.session[SESSION_KEY]) == other.pk


def test_behind_a_proxy_one_clients_failures_lock_out_only_that_client(client, settings):
    from django.core.cache import cache

    from geopol.settings import proxy_settings

    for name, value in proxy_settings(1).items():
        setattr(settings, name, value)
    cache.clear()
    victims = [UserFactory() for _ in range(21)]
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for victim in victims[:-1]:  # one wrong password each: no account reaches axes' limit
        _sign_in(client, victim.email, "wrong password", **attacker)
    blocked = _sign_in(client, victims[-1].email, **attacker)
    assert "Too many failed login attempts" in blocked.text
    response = _sign_in(client, victims[-1].email, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302 and int(client.session[SESSION_KEY]) == victims[-1].pk


def test_a_staff_username_and_its_email_share_one_failure_count(client, settings):
    editor = UserFactory(username="editor", email="Editor@Example.org", is_staff=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        if attempt % 2:
            _sign_in(client, "editor@example.org", "wrong password")
        else:
            client.post("/admin/login/", {"username": "EDITOR", "password": "wrong password"})
    response = _sign_in(client, editor.email)  # the right password, too late
    assert response.status_code in (403, 429)
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("path", ["/", "/my/", "/my/follows/", "/search/?q=mali", "/accounts/"])
def test_pages_for_a_signed_in_reader_are_private(client, path):
    client.force_login(UserFactory())
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_session_fixation_is_refused(client):
    user = UserFactory()
    client.get(reverse("account_login"))
    client.session.save()
    planted = client.session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = planted
    _sign_in(client, user.email)
    signed_in = client.session.session_key
    assert signed_in != planted, "signing in must give a new session key"
    assert SESSION_KEY not in SessionStore(session_key=planted).load()


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "https:evil.example", "/\\evil.example"],
)
def test_open_redirects_are_refused(client, target):
    user = UserFactory()
    response = client.post(
        reverse("account_login") + "?next=" + target,
        {"login": user.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url
    client.force_login(user)
    response = client.post(reverse("account_logout"), {"next": target})
    assert "evil.example" not in response.get("Location", "")


def test_a_safe_next_is_followed(client):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": "/regions/"}
    )
    assert response.url == "/regions/"


def test_forms_need_a_csrf_token():
    from django.test import Client

    user = UserFactory()
    strict = Client(enforce_csrf_checks=True)
    assert _sign_in(strict, user.email).status_code == 403
    strict.force_login(user)
    response = strict.post(reverse("member-delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_every_page_has_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_api_docs_load_swagger_from_our_static_files(client):
    page = client.get("/api/v1/docs").text
    assert "cdn.jsdelivr" not in page and "/static/ninja/" in page


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GEOPOL_")},
        "DJANGO_SETTINGS_MODULE": "geopol.settings",
        "GEOPOL_DATA_DIR": str(tmp_path),
        "GEOPOL_SITE_URL": "https://geopol.example",
        "GEOPOL_ALLOWED_HOSTS": "geopol.example",
        "GEOPOL_MEMBERSHIP_CONTACT": "members@geopol.example",
        "GEOPOL_SECRET_KEY": "k" * 10 + "production-secret-key-with-enough-variety-0123456789!#",
    }
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


class CountingArgon2Hasher(Argon2PasswordHasher):
    """The real Argon2 hasher, counting how many passwords it hashed."""

    hashed = 0

    def encode(self, password, salt):
        type(self).hashed += 1
        return super().encode(password, salt)


def test_sign_up_with_a_taken_address_does_the_same_work_as_a_new_one(client, settings):
    """Issue 15.6: a taken address answered in 7-13 ms and a new one in 207-221 ms, so the
    timing told who has an account. Both must hash the password (the cost that differed)
    and answer alike."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingArgon2Hasher"]
    taken = UserFactory(email="taken@example.org")
    answers, hashes = [], []
    for email in ("taken@example.org", "fresh@example.org"):
        CountingArgon2Hasher.hashed = 0
        choice = "another-long-passphrase-77"
        response = client.post(
            reverse("account_signup"), {"email": email, "password1": choice, "password2": choice}
        )
        answers.append((response.status_code, response.get("Location")))
        hashes.append(CountingArgon2Hasher.hashed)
    assert hashes == [1, 1]
    assert answers[0] == answers[1]
    taken.refresh_from_db()
    assert taken.check_password(PASSWORD), "the taken account's password is unchanged"
