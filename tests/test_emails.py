"""The emails a reader gets look like the publication's: its name, the reader's address,
an HTML and a plain-text part, and no empty boxes."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from geopol.members.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _parts(message):
    html = message.alternatives[0][0] if message.alternatives else ""
    return message.body, html


def test_verification_email_is_the_sites_own(client, settings):
    settings.SITE_NAME = "Geopol"
    client.post(
        reverse("account_signup"),
        {"email": "new.analyst@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    (message,) = mail.outbox
    text, html = _parts(message)
    assert message.subject == "[Geopol] Confirm your email address to finish signing up"
    assert text.startswith("Hello new.analyst@example.org,")
    assert "user new" not in text and "new.analyst," not in text.split("\n")[0][:6]
    assert re.search(r"https?://\S+/accounts/confirm-email/\S+", text)
    assert "Confirm my address" in html and "Geopol" in html
    assert "example.com" not in text + html and "Hello from" not in text


def test_password_reset_email_names_the_address(client):
    user = UserFactory(email="reset.me@example.org")
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    text, html = _parts(message)
    assert message.subject == "[Geopol] Choose a new password"
    assert "reset.me@example.org" in text and "username" not in text
    assert "/accounts/password/reset/key/" in text and "Choose a new password" in html


def test_an_alert_turns_a_map_figure_into_a_link(db):
    from geopol.articles.models import Figure
    from geopol.articles.services import render_article
    from geopol.articles.tests.factories import ArticleFactory
    from geopol.follows.emails import Item

    article = ArticleFactory(body="The front moved.\n\n{{figure front}}\n\nThen it held.")
    Figure.objects.create(article=article, key="front", kind="map", caption="The front line")
    render_article(article)
    article.refresh_from_db()
    assert 'class="figure-map-canvas"' in article.body_html
    body = Item(article, ["you follow Mali (tagged)"], readable=True).body_html
    assert 'class="figure-map-canvas"' not in body
    assert f"{article.get_absolute_url()}#figure-front" in body and "Open this map" in body
    assert "The front line" in body
