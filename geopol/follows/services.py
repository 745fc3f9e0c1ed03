"""Writes of the follows app: follows, bookmarks, private feeds, and the alert pipeline
(match an article to follows, claim, send, record). Why it never sends twice: docs/alerts.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from geopol.articles.access import can_read, readable_tiers
from geopol.articles.models import Access, Article
from geopol.follows.emails import Item, alert_message, digest_message
from geopol.follows.models import (
    AlertEmail,
    Bookmark,
    Delivery,
    DeliveryStatus,
    EmailKind,
    EmailStatus,
    Follow,
    Frequency,
    MatchedArticle,
    Mode,
    PrivateFeed,
)
from geopol.follows.reasons import reasons_for
from geopol.follows.targets import describe, follows_q, load_tags, target_of

log = logging.getLogger(__name__)


# Follows, bookmarks, private feeds


def follow(user: Any, obj: Any, frequency: str = Frequency.DAILY) -> Follow:
    kind, key = target_of(obj)
    item, _ = Follow.objects.get_or_create(
        user=user, kind=kind, key=key, defaults={"frequency": frequency}
    )
    return item


@transaction.atomic
def unfollow(user: Any, kind: str, key: str) -> None:
    follows = Follow.objects.filter(user=user, kind=kind, key=key)
    _drop_pending(user, follows)
    follows.delete()


@transaction.atomic
def set_frequency(user: Any, follow_id: int, frequency: str) -> Follow | None:
    item = Follow.objects.filter(user=user, pk=follow_id).first()
    if item is None or frequency not in Frequency.values:
        return None
    item.frequency = frequency
    item.save(update_fields=["frequency"])
    if frequency == Frequency.NONE:
        _drop_pending(user, [item])
    else:  # what is still waiting goes out the way the member now wants it
        Delivery.objects.filter(user=user, follow=item, status=DeliveryStatus.PENDING).update(
            mode=frequency
        )
    return item


def _drop_pending(user: Any, follows: Iterable[Follow]) -> int:
    return Delivery.objects.filter(
        user=user, follow__in=list(follows), status=DeliveryStatus.PENDING
    ).update(status=DeliveryStatus.DROPPED)


@transaction.atomic
def unsubscribe(user_id: int, scope: str) -> str | None:
    """Carry out a one-click unsubscribe; return what was stopped (for the page), or None
    when the token names nothing that exists any more."""
    if scope == "digest":
        follows = Follow.objects.filter(user_id=user_id, frequency=Frequency.DAILY)
        Delivery.objects.filter(
            user_id=user_id, mode=Mode.DAILY, status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.DROPPED)
        follows.update(frequency=Frequency.NONE)
        return "the daily digest"
    if scope.startswith("follow:"):
        try:
            pk = int(scope.split(":", 1)[1])
        except ValueError:
            return None
        item = Follow.objects.filter(user_id=user_id, pk=pk).first()
        if item is None:
            return None
        set_frequency(item.user, item.pk, Frequency.NONE)
        target = describe([(item.kind, item.key)]).get((item.kind, item.key))
        return f"alerts for {target.name if target else item.key}"
    return None


def toggle_bookmark(user: Any, article: Article) -> bool:
    """Save `article` for later, or forget it when it was saved; True when now saved."""
    deleted, _ = Bookmark.objects.filter(user=user, article=article).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(user=user, article=article)
    return True


def rotate_private_feed(user: Any) -> PrivateFeed:
    """A new secret URL; the old one stops working at once."""
    with transaction.atomic():
        PrivateFeed.objects.filter(user=user).delete()
        return PrivateFeed.objects.create(user=user)


def revoke_private_feed(user: Any) -> None:
    PrivateFeed.objects.filter(user=user).delete()


# Matching: which members to tell about an article, and why


def alert_window() -> dt.timedelta:
    return dt.timedelta(hours=settings.GEOPOL_ALERTS_MAX_AGE_HOURS)


@dataclass
class MatchResult:
    deliveries: int = 0
    immediate: list[int] = field(default_factory=list)


@transaction.atomic
def match_article(article_id: int, now: dt.datetime | None = None) -> MatchResult:
    """Record a delivery for each member whose follows match a newly published article.

    Nothing for articles not (yet) visible, nor for old ones (an edit to a 2013 analysis
    alerts nobody). Running it again adds only members who were not matched before."""
    now = now or timezone.now()
    article = Article.objects.filter(pk=article_id).first()
    result = MatchResult()
    if article is None or not article.is_visible:
        return result
    MatchedArticle.objects.update_or_create(article=article)
    if article.published_at < now - alert_window():
        return result
    tags = load_tags([article.pk])[article.pk]
    matching = Follow.objects.emailed().filter(follows_q(tags.targets(readable=True)))
    by_user: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for pk, user_id, kind, key, frequency in matching.values_list(
        "pk", "user_id", "kind", "key", "frequency"
    ):
        by_user[user_id].append((pk, kind, key, frequency))
    if not by_user:
        return result
    readers: set[int] = set(by_user)
    if article.access != Access.PUBLIC:
        users = get_user_model().objects.filter(pk__in=list(by_user))
        readers = {u.pk for u in users if can_read(u, article)}
    rows = []
    for user_id, follows in by_user.items():
        reasons = reasons_for(tags, [(k, key) for _, k, key, _ in follows], user_id in readers)
        if not reasons:  # matched only through tags in a body this member may not read
            continue
        ids = {(k, key): (pk, freq) for pk, k, key, freq in follows}
        immediate = [r for r in reasons if ids[(r.kind, r.key)][1] == Frequency.IMMEDIATE]
        lead = immediate[0] if immediate else reasons[0]
        rows.append(
            Delivery(
                user_id=user_id,
                article=article,
                follow_id=ids[(lead.kind, lead.key)][0],
                reasons=[str(r) for r in [lead, *[r for r in reasons if r is not lead]]],
                mode=Mode.IMMEDIATE if immediate else Mode.DAILY,
            )
        )
    # the unique constraint drops members already told about this article
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    result.deliveries = len(rows)
    result.immediate = list(
        Delivery.objects.filter(
            article=article, mode=Mode.IMMEDIATE, status=DeliveryStatus.PENDING
        ).values_list("pk", flat=True)
    )
    return result


def unmatched_articles(now: dt.datetime | None = None) -> list[int]:
    """Published articles of the alert window whose alerts were never worked out: the
    scheduled ones that became due, and any whose matching task was lost."""
    now = now or timezone.now()
    return list(
        Article.objects.published(now)
        .filter(published_at__gte=now - alert_window())
        .exclude(pk__in=MatchedArticle.objects.values("article_id"))
        .values_list("pk", flat=True)
    )


# Sending: claim in one transaction, send, record in another


def _close(email: AlertEmail, ok: bool, error: str = "") -> None:
    with transaction.atomic():
        if ok:
            AlertEmail.objects.filter(pk=email.pk).update(
                status=EmailStatus.SENT, sent_at=timezone.now()
            )
            Delivery.objects.filter(email=email).update(status=DeliveryStatus.SENT)
        else:  # refused by the mail server: nothing went out, so it may be tried again
            AlertEmail.objects.filter(pk=email.pk).update(
                status=EmailStatus.FAILED, error=error[:300]
            )
            Delivery.objects.filter(email=email).update(status=DeliveryStatus.PENDING, email=None)


def send_alert(delivery_id: int, connection: Any = None) -> bool:
    """Send the alert of one pending immediate delivery; False when there is nothing to
    send (already claimed or sent by another worker, dropped, or no longer published)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("article", "user", "follow")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, mode=Mode.IMMEDIATE)
            .first()
        )
        if delivery is None:
            return False
        if not delivery.article.is_visible or not delivery.user.email:
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DROPPED)
            return False
        email = AlertEmail.objects.create(user=delivery.user, kind=EmailKind.ALERT)
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, email=email)
    # claimed and committed: from here a crash leaves it "sending", never sent twice
    item = Item(delivery.article, delivery.reasons, can_read(delivery.user, delivery.article))
    scope = f"follow:{delivery.follow_id}" if delivery.follow_id else "digest"
    label = delivery.reasons[0].removeprefix("you follow ").split(" (")[0]
    message = alert_message(delivery.user, email.pk, item, scope, label)
    try:
        (connection or get_connection()).send_messages([message])
    except Exception as error:
        log.warning("alert email %s refused: %s", email.pk, error)
        _close(email, ok=False, error=str(error))
        return False
    _close(email, ok=True)
    return True


def digest_users(cutoff: dt.datetime) -> list[int]:
    return list(
        Delivery.objects.filter(
            mode=Mode.DAILY, status=DeliveryStatus.PENDING, created_at__lt=cutoff
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def _claim_digest(user_id: int, cutoff: dt.datetime) -> tuple[AlertEmail, list[Delivery]] | None:
    """Claim a member's pending daily deliveries for one digest, in one transaction."""
    with transaction.atomic():
        pending = Delivery.objects.filter(
            user_id=user_id, mode=Mode.DAILY, status=DeliveryStatus.PENDING, created_at__lt=cutoff
        )
        if not pending.exists():
            return None  # another worker claimed them, or the member unsubscribed
        email = AlertEmail.objects.create(user_id=user_id, kind=EmailKind.DIGEST)
        pending.update(status=DeliveryStatus.SENDING, email=email)
        claimed = list(Delivery.objects.filter(email=email).only("article_id", "reasons"))
    return email, claimed


def send_digests(
    user_ids: list[int], cutoff: dt.datetime | None = None, connection: Any = None
) -> int:
    """Send each of `user_ids` one digest of their pending daily deliveries created before
    `cutoff`; return how many digests went out. Each digest is claimed just before it is
    sent, so a worker killed halfway leaves at most one message in doubt."""
    cutoff = cutoff or timezone.now()
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
    wanted = Delivery.objects.filter(
        user_id__in=user_ids, mode=Mode.DAILY, status=DeliveryStatus.PENDING
    ).values("article_id")
    articles = {a.pk: a for a in Article.objects.filter(pk__in=wanted).defer("body", "body_html")}
    connection = connection or get_connection()
    sent = 0
    with connection:
        for user_id in user_ids:
            user = users.get(user_id)
            if user is None:
                continue
            claim = _claim_digest(user_id, cutoff)
            if claim is None:
                continue
            email, claimed = claim
            for delivery in claimed:
                if delivery.article_id not in articles:  # published after the task began
                    articles[delivery.article_id] = Article.objects.get(pk=delivery.article_id)
            tiers = readable_tiers(user)
            claimed.sort(key=lambda d: articles[d.article_id].published_at, reverse=True)
            entries = [
                Item(articles[d.article_id], d.reasons, articles[d.article_id].access in tiers)
                for d in claimed
                if articles[d.article_id].is_visible
            ]
            if not entries or not user.email:
                _close(email, ok=True)  # nothing left to say (retracted since)
                continue
            try:
                connection.send_messages([digest_message(user, email.pk, entries)])
            except Exception as error:
                log.warning("digest email %s refused: %s", email.pk, error)
                _close(email, ok=False, error=str(error))
                continue
            _close(email, ok=True)
            sent += 1
    return sent


def last_digest_time(now: dt.datetime | None = None) -> dt.datetime:
    """The latest daily digest moment (GEOPOL_DIGEST_HOUR UTC) at or before `now`."""
    now = now or timezone.now()
    moment = now.replace(hour=settings.GEOPOL_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return moment if moment <= now else moment - dt.timedelta(days=1)


def due_alerts(now: dt.datetime | None = None, grace: dt.timedelta | None = None) -> list[int]:
    """Pending immediate deliveries older than `grace`: their task was lost (a worker killed
    before it ran it) or the mail server refused them."""
    now = now or timezone.now()
    grace = dt.timedelta(minutes=1) if grace is None else grace
    return list(
        Delivery.objects.filter(
            mode=Mode.IMMEDIATE, status=DeliveryStatus.PENDING, created_at__lt=now - grace
        ).values_list("pk", flat=True)
    )


def in_doubt(now: dt.datetime | None = None) -> int:
    """Emails claimed more than ten minutes ago and never confirmed: the sender stopped while
    talking to the mail server. They are not resent (see docs/alerts.md)."""
    now = now or timezone.now()
    return AlertEmail.objects.filter(
        status=EmailStatus.SENDING, created_at__lt=now - dt.timedelta(minutes=10)
    ).count()
