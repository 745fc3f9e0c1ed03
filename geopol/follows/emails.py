"""Alert and digest messages: what they say, their one-click unsubscribe (RFC 8058) and their
Message-ID (the AlertEmail's id, so a resent copy is recognisably the same message)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from geopol.articles.models import Access, Article
from geopol.articles.rendering import plain_text, replace_figure_canvases
from geopol.core.siteurl import site_url

UNSUBSCRIBE_SALT = "geopol.follows.unsubscribe"


def unsubscribe_token(user_id: int, scope: str) -> str:
    """A signed token naming the member and what to stop: 'digest', or 'follow:ID'."""
    return signing.dumps({"u": user_id, "s": scope}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("s", ""))


def absolute(path: str) -> str:
    return site_url() + path


def _domain() -> str:
    return urlparse(site_url()).hostname or "localhost"


@dataclass
class Item:
    """An article as one member may see it in an email."""

    article: Article
    reasons: list[str]
    readable: bool

    @property
    def url(self) -> str:
        return absolute(self.article.get_absolute_url())

    @property
    def text(self) -> str:
        """The body as plain text: only ever asked for when `readable`."""
        return plain_text(self.article.body) if self.readable else ""

    @property
    def body_html(self) -> str:
        """The body for an email: each map figure (drawn on the page, empty in a mail
        reader) becomes a link to it on the site, so no box stays blank."""
        url = self.url

        def link(key: str) -> tuple[str, tuple[tuple[str, str], ...]]:
            return (
                '<p style="font-family: sans-serif; background: #f3f1ea; padding: 12px">'
                f'<a href="{escape(url)}#figure-{escape(key)}">Open this map on '
                f"{escape(settings.SITE_NAME)}</a></p>",
                (),
            )

        return replace_figure_canvases(self.article.body_html, link) if self.readable else ""

    @property
    def locked(self) -> bool:
        return not self.readable and self.article.access != Access.PUBLIC


def _message(
    user: Any, email_id: int, subject: str, template: str, context: dict, scope: str
) -> EmailMultiAlternatives:
    unsubscribe_url = absolute(
        reverse("follows:unsubscribe", args=[unsubscribe_token(user.pk, scope)])
    )
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "site_url": site_url(),
        "unsubscribe_url": unsubscribe_url,
        "manage_url": absolute(reverse("follows:manage")),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"follows/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "Message-ID": f"<alert-email-{email_id}@{_domain()}>",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{settings.SITE_NAME} alerts <alerts.{_domain()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"follows/email/{template}.html", context), "text/html"
    )
    return message


def alert_message(
    user: Any, email_id: int, item: Item, scope: str, label: str
) -> EmailMultiAlternatives:
    """One article, at once: its full text when the member may read it, otherwise the title,
    teaser and an invitation."""
    return _message(
        user,
        email_id,
        f"{settings.SITE_NAME} alert: {item.article.title}",
        "alert",
        {"item": item, "label": label},
        scope,
    )


class DigestBuilder:
    """Digests for many members. What a digest says about an article is the same for every
    member who may (or may not) read it, so each article's block is rendered once per
    variant; only the reasons are the member's own."""

    def __init__(self) -> None:
        self.blocks: dict[tuple[int, bool], tuple[str, str]] = {}

    def block(self, item: Item) -> tuple[str, str]:
        key = (item.article.pk, item.locked)
        if key not in self.blocks:
            context = {"item": item}
            self.blocks[key] = (
                render_to_string("follows/email/digest_item.txt", context).strip(),
                render_to_string("follows/email/digest_item.html", context),
            )
        return self.blocks[key]

    def message(
        self, user: Any, email_id: int, items: list[Item], more: int = 0
    ) -> EmailMultiAlternatives:
        # the list is joined here rather than looped over in a template: 10,000 digests of
        # 20 items each make a template loop the largest cost of a digest run
        texts, htmls = [], []
        for n, item in enumerate(items, 1):
            text, html = self.block(item)
            why = "; ".join(item.reasons)
            texts.append(f"{n}. {text}\n   Why: {why}\n")
            htmls.append(
                f'<div style="border-top: 1px solid #ddd; padding: 12px 0">{html}'
                '<p style="font-family: sans-serif; font-size: 13px; margin: 4px 0">'
                f"<strong>Why:</strong> {escape(why)}</p></div>"
            )
        count = len(items) + more
        noun = "analysis" if count == 1 else "analyses"
        return _message(
            user,
            email_id,
            f"{settings.SITE_NAME} daily digest: {count} new {noun}",
            "digest",
            {
                # html blocks come from an autoescaping template; reasons are escaped above
                "items_text": "\n".join(texts),
                "items_html": mark_safe("\n".join(htmls)),
                "count": count,
                "more": more,
                "my_url": absolute(reverse("follows:my-geopol")),
            },
            "digest",
        )
