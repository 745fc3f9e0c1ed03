"""Pieces falling due. A piece scheduled (or published) for a later time becomes visible by
time alone (visible_q): nothing is written then, so nothing goes down the change path by
itself. What derives from what readers see and is kept (Connected Content's lists and
storylines, the pages' tokens) learns of it from a change of its own, source "due", with the
aspect DUE, which `announce_due` emits. The minute timer (`geopol alerts send-due`, which
`geopol serve` runs on SQLite) calls it.

A piece fell due when its time has passed since it was last written (`published_at` after
`updated_at`): a piece published now, or edited since its time came, went down the change
path when it was written and is not announced again.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import router, transaction
from django.db.models import F
from django.utils import timezone

from geopol.articles import changes
from geopol.articles.models import LISTED, Article

ANNOUNCED_KEY = "articles:due:announced"  # when announce_due last looked
# how far back to look when that is not known (first run, cache emptied): announcing a piece
# twice costs a recomputation, missing one leaves it out of its storyline
LOOKBACK = dt.timedelta(days=7)
AT_ONCE = 500  # pieces per change: more than the timer meets in a minute


def fell_due(since: dt.datetime, now: dt.datetime) -> list[int]:
    """The pieces that became visible by time alone after `since`, up to `now`, in order."""
    return list(
        Article.objects.filter(status__in=LISTED, published_at__gt=since, published_at__lte=now)
        .filter(published_at__gt=F("updated_at"))
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)
    )


def announce_due(now: dt.datetime | None = None) -> list[int]:
    """Send each piece that fell due since the last call down the change path (source "due");
    their ids."""
    now = now or timezone.now()
    since = cache.get(ANNOUNCED_KEY) or now - LOOKBACK
    due = fell_due(since, now)
    for start in range(0, len(due), AT_ONCE):
        with transaction.atomic(using=router.db_for_write(Article)), changes.collect("due"):
            for pk in due[start : start + AT_ONCE]:
                changes.record(pk, changes.Aspect.DUE)
    cache.set(ANNOUNCED_KEY, now, None)
    return due
