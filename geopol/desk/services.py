"""The desk's writes: pieces, workflow moves, reviewers, comments and notices. Article text
and status go through the articles services (so tagging, search, pages and alerts follow down
the change path); key judgments through the forecasts services; the machine's reading through
extraction's decisions. Nothing here writes an article row itself."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from geopol.articles.editing import AUTOSAVE, Draft, set_status, write_article
from geopol.articles.models import Article
from geopol.core.siteurl import site_url
from geopol.desk import workflow
from geopol.desk.models import Comment, Notice, Piece, Transition

log = logging.getLogger(__name__)

ANALYSTS, EDITORS = "Analysts", "Editors"  # the groups (created by migration 0002)


def role_of(user: Any) -> str:
    """'editor', 'analyst', or '' (not on the desk): from the desk permissions, which the
    Editors and Analysts groups grant (superusers have them all)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ""
    if user.has_perm("desk.edit_pieces"):
        return workflow.EDITOR
    if user.has_perm("desk.write_pieces"):
        return workflow.ANALYST
    return ""


def piece_for(article: Article) -> Piece:
    piece, _ = Piece.objects.get_or_create(article=article)
    return piece


def stage(article: Article, piece: Piece | None = None, now: dt.datetime | None = None) -> str:
    piece = piece if piece is not None else piece_for(article)
    return workflow.stage_of(
        article.status, article.published_at, piece.approved_at is not None, now or timezone.now()
    )


def is_owner(user: Any, piece: Piece) -> bool:
    return piece.owner_id is not None and piece.owner_id == getattr(user, "pk", None)


class DeskError(Exception):
    """Refused: the message says why (a workflow rule, a permission)."""


def may_edit(user: Any, article: Article, piece: Piece | None = None) -> bool:
    """Whether `user` may change the piece now (its text, figures, reading, judgments):
    workflow.can_edit for the piece's stage, the user's role and whether it is theirs."""
    piece = piece if piece is not None else piece_for(article)
    return workflow.can_edit(stage(article, piece), role_of(user), is_owner(user, piece))


def _require_edit(user: Any, article: Article, piece: Piece) -> None:
    if not may_edit(user, article, piece):
        raise DeskError(
            "you may not edit this piece now: analysts edit their own drafts; once submitted "
            "it is the reviewer's (withdraw it to edit it)"
        )


@transaction.atomic
def start_piece(user: Any, draft: Draft) -> Article:
    """A new draft owned by `user`."""
    if not role_of(user):
        raise DeskError("only analysts and editors write on the desk")
    article = write_article(None, draft, editor=user, source="desk", note="created on the desk")
    Piece.objects.create(article=article, owner=user)
    return article


@transaction.atomic
def save_piece(user: Any, article: Article, draft: Draft, autosave: bool = False) -> Article:
    piece = piece_for(article)
    _require_edit(user, article, piece)
    if autosave and not workflow.autosaves(stage(article, piece)):
        raise DeskError("only drafts save themselves; save this piece on purpose")
    return write_article(
        article, draft, editor=user, source=AUTOSAVE if autosave else "desk", note=""
    )


@transaction.atomic
def move(
    user: Any,
    article: Article,
    action: str,
    reason: str = "",
    when: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Transition:
    """Make a workflow move (workflow.MOVES), record it, and tell the author and reviewer."""
    now = now or timezone.now()
    piece = piece_for(article)
    source = stage(article, piece, now)
    try:
        rule = workflow.check(
            action, source, role_of(user), is_owner(user, piece), reason, when, now
        )
    except workflow.WorkflowError as error:
        raise DeskError(str(error)) from None
    target = rule.target
    if target == workflow.APPROVED:
        piece.approved_by, piece.approved_at = user, now
    elif source == workflow.APPROVED or target in (workflow.DRAFT, workflow.REVIEW):
        piece.approved_by, piece.approved_at = None, None
    if target == workflow.REVIEW and piece.owner_id is None:
        piece.owner = user
    piece.save()
    row = workflow.ROW_STATUS[target]
    published_at = None
    if action == "publish":
        published_at = now
    elif action == "schedule":
        published_at = when
    if row != article.status or published_at is not None:
        set_status(article, row, published_at, editor=user, source="desk", note=rule.label.lower())
    transition = Transition.objects.create(
        article=article, action=action, source=source, target=target, by=user, note=reason.strip()
    )
    if reason.strip():
        Comment.objects.create(article=article, author=user, body=f"{rule.label}: {reason.strip()}")
    text = f"{_name(user)}: {rule.label.lower()} “{article.title}”"
    if reason.strip():
        text += f" ({reason.strip()})"
    notify([piece.owner, piece.reviewer], article, text, exclude=user)
    return transition


@transaction.atomic
def assign_reviewer(user: Any, article: Article, reviewer: Any) -> Piece:
    piece = piece_for(article)
    if role_of(user) != workflow.EDITOR and not is_owner(user, piece):
        raise DeskError("only an editor or the piece's author may choose its reviewer")
    if reviewer is not None and role_of(reviewer) != workflow.EDITOR:
        raise DeskError(f"{_name(reviewer)} is not an editor; reviewers are editors")
    piece.reviewer = reviewer
    piece.save(update_fields=["reviewer"])
    if reviewer is not None:
        notify([reviewer], article, f"{_name(user)} asks you to review “{article.title}”")
    return piece


@transaction.atomic
def add_comment(user: Any, article: Article, body: str) -> Comment:
    if not role_of(user):
        raise DeskError("only analysts and editors comment on the desk")
    body = body.strip()
    if not body:
        raise DeskError("the comment is empty")
    comment = Comment.objects.create(article=article, author=user, body=body[:5000])
    piece = piece_for(article)
    notify(
        [piece.owner, piece.reviewer],
        article,
        f"{_name(user)} commented on “{article.title}”: {body[:120]}",
        exclude=user,
    )
    return comment


def editors() -> list[Any]:
    """Who may review: active users holding the editors' permission."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return [u for u in users.prefetch_related("groups") if role_of(u) == workflow.EDITOR]


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def notice_message(user: Any, article: Article, text: str) -> EmailMultiAlternatives:
    """The email of one desk notice to one person (text and HTML): to them alone, so no one
    learns who else is told."""
    context = {
        "name": _name(user),
        "text": text,
        "article": article,
        "link": site_url() + reverse("desk:edit", args=[article.pk]),
        "desk_url": site_url() + reverse("desk:list"),
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME} desk] {' '.join(text.split())[:90]}",
        body=render_to_string("desk/email/notice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("desk/email/notice.html", context), "text/html")
    return message


def send_notice_emails(users: list[Any], article: Article, text: str) -> int:
    """One message per person, over one connection; a mail server down must not undo the
    move, so failures are logged, not raised. Returns how many were sent."""
    try:
        messages = [notice_message(u, article, text) for u in users]
        return get_connection().send_messages(messages) or 0
    except Exception:
        log.exception("desk notice email to %s failed", [u.pk for u in users])
        return 0


def notify(users: list[Any], article: Article, text: str, exclude: Any = None) -> list[Notice]:
    """An on-site notice to each user (once each, not the one who acted), and an email to
    those with an address; sent after the commit, so a rolled-back move tells nobody."""
    seen: dict[int, Any] = {}
    for user in users:
        if user is not None and user.pk != getattr(exclude, "pk", None):
            seen.setdefault(user.pk, user)
    notices = [
        Notice.objects.create(user=u, article=article, text=text[:300]) for u in seen.values()
    ]
    recipients = [u for u in seen.values() if u.email]
    if recipients:
        transaction.on_commit(lambda: send_notice_emails(recipients, article, text))
    return notices
