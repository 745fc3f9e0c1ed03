"""Writes of the follows app: follows, bookmarks, unsubscribing, private feeds. The alert
pipeline is in alerts.py."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from geopol.articles.models import Article
from geopol.follows.models import (
    Bookmark,
    Delivery,
    DeliveryStatus,
    DigestSchedule,
    Follow,
    Frequency,
    Mode,
    PrivateFeed,
)
from geopol.follows.targets import describe, target_of

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


def set_digest_schedule(user: Any, hour: int, zone: str) -> DigestSchedule:
    """The member's daily digest comes after `hour` o'clock in `zone` (validated by
    DigestScheduleForm). If that moment has already passed today, what is waiting goes out
    at the next `send-due`; no article is ever sent twice (the digest claims exclude each
    other whatever their cutoffs)."""
    schedule, _ = DigestSchedule.objects.update_or_create(
        user=user, defaults={"hour": hour, "timezone": zone}
    )
    return schedule
