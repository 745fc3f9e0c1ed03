"""Background work, run by a django-tasks worker (`geopol worker`). Each task reads its state
from the database, so running one twice, or after a restart, sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from geopol.articles import scheduling
from geopol.follows import alerts

DIGEST_CHUNK = 500  # members per digest task: a worker's unit of work, about a second
PRUNE_PER_RUN = 20_000  # rows send-due forgets per minute at most; `alerts prune` takes all


@task()
def match_article(article_id: int) -> int:
    result = alerts.match_article(article_id)  # committed when it returns
    enqueue_alerts(result.immediate)
    return result.deliveries


@task()
def send_alert(delivery_id: int) -> bool:
    return alerts.send_alert(delivery_id)


@task()
def send_digests(user_ids: list[int], cutoff: str) -> int:
    return alerts.send_digests(user_ids, dt.datetime.fromisoformat(cutoff))


def enqueue_alerts(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        send_alert.enqueue(pk)


def enqueue_digests(cutoff: dt.datetime, chunk: int = DIGEST_CHUNK) -> int:
    """Every member's digest now: one task per `chunk` members with daily deliveries waiting
    since before `cutoff` (`geopol alerts digest-now`)."""
    alerts.refresh_planner_statistics()
    return _enqueue(cutoff, alerts.digest_users(cutoff), chunk)


def enqueue_due_digests(now: dt.datetime, chunk: int = DIGEST_CHUNK) -> int:
    """The digests whose moment has passed, each member at their own hour and time zone."""
    alerts.refresh_planner_statistics()
    return sum(_enqueue(cutoff, users, chunk) for cutoff, users in alerts.due_digests(now).items())


def _enqueue(cutoff: dt.datetime, users: list[int], chunk: int) -> int:
    for start in range(0, len(users), chunk):
        send_digests.enqueue(users[start : start + chunk], cutoff.isoformat())
    return len(users)


def send_due(now: dt.datetime | None = None) -> dict[str, int]:
    """What an operator's timer runs every minute (`geopol alerts send-due`): send the pieces
    that fell due down the change path (articles.scheduling), match articles that became
    published (scheduled ones, lost tasks), requeue alerts whose task was lost, queue the
    daily digests once the digest hour has passed, and forget what is older than
    GEOPOL_ALERTS_KEEP_DAYS."""
    now = now or timezone.now()
    # by the clock, not `now`: what hears of them asks whether they are visible now
    due = scheduling.announce_due()
    articles = alerts.unmatched_articles(now)
    for pk in articles:
        match_article.enqueue(pk)
    lost = alerts.due_alerts(now)
    enqueue_alerts(lost)
    members = enqueue_due_digests(now)
    pruned = alerts.prune(now, max_rows=PRUNE_PER_RUN)
    return {
        "pruned_deliveries": pruned["deliveries"],
        "pruned_emails": pruned["emails"],
        "articles": len(articles),
        "fell_due": len(due),
        "alerts": len(lost),
        "digest_members": members,
        "in_doubt": alerts.in_doubt(now),
    }
