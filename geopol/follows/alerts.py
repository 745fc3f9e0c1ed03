"""The alert pipeline: match a published article to the follows, then claim, send and
record alerts and digests. Why it never sends twice: docs/alerts.md."""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from geopol.articles.access import readable_tiers
from geopol.articles.models import Access, Article
from geopol.follows.emails import DigestBuilder, Item, alert_message
from geopol.follows.models import (
    AlertEmail,
    Delivery,
    DeliveryStatus,
    DigestSchedule,
    EmailKind,
    EmailStatus,
    Follow,
    FollowKind,
    Frequency,
    MatchedArticle,
    Mode,
)
from geopol.follows.reasons import ArticleTags, Reason, reasons_for
from geopol.follows.saved import matched_searches
from geopol.follows.targets import describe, follows_q, load_tags
from geopol.members.backends import prime_member_access

log = logging.getLogger(__name__)


# Matching: which members to tell about an article, and why


def alert_window() -> dt.timedelta:
    return dt.timedelta(hours=settings.GEOPOL_ALERTS_MAX_AGE_HOURS)


@dataclass
class MatchResult:
    deliveries: int = 0
    immediate: list[int] = field(default_factory=list)


def prime_permissions(users: Iterable[Any]) -> None:
    """Load the permissions and member access of many members in four queries and cache them
    on each user the way Django's ModelBackend and the member backend do, so that can_read /
    readable_tiers ask nothing more."""
    users = [u for u in users if not hasattr(u, "_perm_cache")]
    if not users:
        return
    perms: dict[int, set[str]] = {u.pk: set() for u in users}
    ids = list(perms)
    for user_id, app, codename in Permission.objects.filter(user__in=ids).values_list(
        "user", "content_type__app_label", "codename"
    ):
        perms[user_id].add(f"{app}.{codename}")
    for user_id, app, codename in Permission.objects.filter(group__user__in=ids).values_list(
        "group__user", "content_type__app_label", "codename"
    ):
        perms[user_id].add(f"{app}.{codename}")
    for user in users:
        user._perm_cache = perms[user.pk]
    prime_member_access(users)


def _ordered(reasons: list[Reason], lead: Reason | None) -> list[str]:
    if lead is None or lead not in reasons:
        return [str(r) for r in reasons]
    return [str(r) for r in [lead, *[r for r in reasons if r is not lead]]]


def _delivery_for(
    tags: ArticleTags, signature: tuple[tuple[str, str, str], ...], public: bool
) -> tuple[tuple[str, str], str, str, int, str] | None:
    """For a member whose matching follows are `signature` ((kind, key, frequency)...): the
    lead follow, the reasons (JSON) for a reader and for a non-reader, the score and the
    mode; None when nothing matches."""
    pairs = [(kind, key) for kind, key, _ in signature]
    reasons = reasons_for(tags, pairs, readable=True)
    if not reasons:
        return None
    immediate = {(kind, key) for kind, key, freq in signature if freq == Frequency.IMMEDIATE}
    leads = [r for r in reasons if (r.kind, r.key) in immediate]
    lead = leads[0] if leads else reasons[0]
    text = _ordered(reasons, lead)
    if public:
        teaser = text
    else:
        hidden = reasons_for(tags, pairs, readable=False)
        same = next((r for r in hidden if (r.kind, r.key) == (lead.kind, lead.key)), None)
        teaser = _ordered(hidden, same)
    mode = Mode.IMMEDIATE if leads else Mode.DAILY
    return (lead.kind, lead.key), json.dumps(text), json.dumps(teaser), reasons[0].strength, mode


def match_article(article_id: int, now: dt.datetime | None = None) -> MatchResult:
    """Record a delivery for each member whose follows match a newly published article.

    Nothing for articles not (yet) visible, nor for old ones (an edit to a 2013 analysis
    alerts nobody), nor for articles first matched longer ago than the alert window (one
    published again with a new date). Running it again adds only members who were not
    matched before.

    Who may read the body is decided when the message is built, not here: each delivery
    keeps the reasons for a reader and those for a non-reader (only the tags everyone sees;
    empty when the member matched only through the hidden body, and is then not told).
    Reads happen before the write transaction, which stays short (SQLite has one writer)."""
    now = now or timezone.now()
    article = Article.objects.filter(pk=article_id).first()
    result = MatchResult()
    if article is None or not article.is_visible:
        return result
    first = (
        MatchedArticle.objects.filter(article=article)
        .values_list("first_matched_at", flat=True)
        .first()
    )
    # old, or matched long ago and published again since: its deliveries may be pruned, so
    # alerting now could tell someone twice
    if article.published_at < now - alert_window() or (
        first is not None and first < now - alert_window()
    ):
        MatchedArticle.objects.update_or_create(article=article)
        return result
    tags = load_tags([article.pk])[article.pk]
    matching = Follow.objects.emailed().filter(follows_q(tags.targets(readable=True)))
    by_user: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for pk, user_id, kind, key, frequency in matching.values_list(
        "pk", "user_id", "kind", "key", "frequency"
    ):
        by_user[user_id].append((pk, kind, key, frequency))
    _add_saved_searches(article, tags, by_user)
    rows = _delivery_rows(tags, by_user, public=article.access == Access.PUBLIC)
    with transaction.atomic():
        MatchedArticle.objects.update_or_create(article=article)
        _insert_deliveries(article.pk, rows, now)
    result.deliveries = len(rows)
    result.immediate = list(
        Delivery.objects.filter(
            article=article, mode=Mode.IMMEDIATE, status=DeliveryStatus.PENDING
        ).values_list("pk", flat=True)
    )
    return result


def _delivery_rows(
    tags: ArticleTags, by_user: dict[int, list[tuple[int, str, str, str]]], public: bool
) -> list[tuple[int, int, str, str, int, str]]:
    """A delivery row (member, leading follow, reasons, teaser reasons, score, mode) for
    each member whose follows give a reason."""
    # members who match the same follows get the same reasons: work each set out once
    memo: dict[tuple, tuple[tuple[str, str], str, str, int, str] | None] = {}
    rows = []
    for user_id, follows in by_user.items():
        signature = tuple(sorted((kind, key, freq) for _, kind, key, freq in follows))
        if signature not in memo:
            memo[signature] = _delivery_for(tags, signature, public)
        found = memo[signature]
        if found is None:
            continue
        lead, text, teaser, score, mode = found
        follow_id = next(pk for pk, kind, key, _ in follows if (kind, key) == lead)
        rows.append((user_id, follow_id, text, teaser, score, mode))
    return rows


def _add_saved_searches(
    article: Article, tags: ArticleTags, by_user: dict[int, list[tuple[int, str, str, str]]]
) -> None:
    """Add to `by_user` the saved-search follows the article matches (as each member may
    read it), and their names to `tags`, so they become reasons like any follow."""
    follows = list(
        Follow.objects.emailed()
        .filter(kind=FollowKind.SEARCH)
        .values_list("pk", "user_id", "key", "frequency")
    )
    if not follows:
        return
    matched, tags.searches = matched_searches(article, follows)
    for pk, user_id, key, frequency in follows:
        if (user_id, key) in matched:
            by_user[user_id].append((pk, FollowKind.SEARCH, key, frequency))


def _insert_deliveries(article_id: int, rows: list[tuple], now: dt.datetime) -> None:
    """Insert many deliveries in one statement per 2,000; a member already told about the
    article is skipped by the unique constraint (ON CONFLICT DO NOTHING). Plain SQL: the
    ORM's bulk_create costs ~40 us a row, too much for 500,000 rows a day."""
    if not rows:
        return
    json_value = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    table = Delivery._meta.db_table
    columns = "user_id, article_id, follow_id, reasons, teaser_reasons, score, mode, status"
    values = f"%s, %s, %s, {json_value}, {json_value}, %s, %s, %s, %s"
    # built from constants only; the values are parameters
    sql = f"INSERT INTO {table} ({columns}, created_at) VALUES ({values}) ON CONFLICT (user_id, article_id) DO NOTHING"  # noqa: S608, E501
    created = connection.ops.adapt_datetimefield_value(now)
    params = [
        (user_id, article_id, follow_id, reasons, teaser, score, mode, "pending", created)
        for user_id, follow_id, reasons, teaser, score, mode in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


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


def refused_for_good(error: Exception) -> bool:
    """The mail server refused the address itself (a 5xx reply to RCPT): trying the same
    message again cannot help, unlike a connection error or a 4xx."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values()
    )


def _close(email: AlertEmail, ok: bool, error: str = "", for_good: bool = False) -> None:
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
            Delivery.objects.filter(email=email).update(
                status=DeliveryStatus.DROPPED if for_good else DeliveryStatus.PENDING, email=None
            )


def _may_read(user: Any, article: Article) -> bool:
    # readable_tiers, not can_read: an email is not a visit and must not use up a meter
    return article.access in readable_tiers(user)


def _followed_name(delivery: Delivery) -> str:
    """What the alert's follow is of ("Mali", "your saved search 'Sahel'"), for "Stop alerts
    for ..."; the daily digest when the follow is gone."""
    follow = Follow.objects.filter(pk=delivery.follow_id).first() if delivery.follow_id else None
    if follow is None:
        return "the daily digest"
    target = describe([(follow.kind, follow.key)]).get((follow.kind, follow.key))
    return target.name if target else "the daily digest"


def send_alert(delivery_id: int, connection: Any = None) -> bool:
    """Send the alert of one pending immediate delivery; False when there is nothing to
    send (already claimed or sent by another worker, dropped, or no longer published)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("article", "user")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, mode=Mode.IMMEDIATE)
            .first()
        )
        if delivery is None:
            return False
        readable = _may_read(delivery.user, delivery.article)
        reasons = delivery.reasons if readable else delivery.teaser_reasons
        user = delivery.user
        if not delivery.article.is_visible or not user.email or not user.is_active or not reasons:
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DROPPED)
            return False
        email = AlertEmail.objects.create(user=delivery.user, kind=EmailKind.ALERT)
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, email=email)
    # claimed and committed: from here a crash leaves it "sending", never sent twice
    item = Item(delivery.article, reasons, readable)
    scope = f"follow:{delivery.follow_id}" if delivery.follow_id else "digest"
    message = alert_message(delivery.user, email.pk, item, scope, _followed_name(delivery))
    try:
        (connection or get_connection()).send_messages([message])
    except Exception as error:
        log.warning("alert email %s refused: %s", email.pk, error)
        _close(email, ok=False, error=str(error), for_good=refused_for_good(error))
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


def _digest_owners(email_id: int | None = None) -> QuerySet[AlertEmail]:
    """For a delivery (OuterRef), the digests that cover it: claimed (sending or sent) for
    its member after it was created, earliest claim first. `email_id`: only claims made
    before that one."""
    owners = AlertEmail.objects.filter(
        user=OuterRef("user"),
        kind=EmailKind.DIGEST,
        status__in=[EmailStatus.SENDING, EmailStatus.SENT],
        covers_until__gt=OuterRef("created_at"),
    ).order_by("pk")
    return owners.filter(pk__lt=email_id) if email_id is not None else owners


def settle_digests(user_ids: list[int]) -> int:
    """Give each pending daily delivery of these members that a claimed digest covers the
    state of that digest: sent, or in doubt ('sending') when its sender stopped. For what a
    stopped worker left behind: only members with a digest whose deliveries were never
    marked are looked at."""
    unsettled = AlertEmail.objects.filter(
        user_id__in=user_ids,
        kind=EmailKind.DIGEST,
        settled=False,
        status__in=[EmailStatus.SENDING, EmailStatus.SENT],
    )
    user_ids = list(unsettled.values_list("user_id", flat=True).distinct())
    if not user_ids:
        return 0
    owner = _digest_owners()
    daily = Delivery.objects.filter(user_id__in=user_ids, mode=Mode.DAILY)
    settled = (
        daily.filter(status=DeliveryStatus.PENDING)
        .filter(Exists(owner))
        .update(email=Subquery(owner.values("pk")[:1]), status=Subquery(owner.values("status")[:1]))
    )
    # in doubt when settled by another worker, and sent since by the one that claimed them
    settled += daily.filter(status=DeliveryStatus.SENDING, email__status=EmailStatus.SENT).update(
        status=DeliveryStatus.SENT
    )
    unsettled.filter(user_id__in=user_ids, status=EmailStatus.SENT).update(settled=True)
    return settled


@dataclass
class Pending:
    pk: int
    article_id: int
    score: int
    reasons: list[str]
    teaser_reasons: list[str]


PENDING_FIELDS = ("pk", "article_id", "score", "reasons", "teaser_reasons")


def _claim_digest(
    user_id: int, cutoff: dt.datetime, preloaded: list[Pending], horizon: int
) -> tuple[AlertEmail, list[Pending]] | None:
    """Claim the member's digest for `cutoff` (an AlertEmail row, committed), and return the
    deliveries it covers: pending, daily, created before `cutoff`, owned by no earlier
    digest. None when another worker holds the claim or there is nothing to send.

    `preloaded` was read after settling every claim up to id `horizon`, so only a claim
    made since then can own some of it."""
    try:
        with transaction.atomic():
            email = AlertEmail.objects.create(
                user_id=user_id, kind=EmailKind.DIGEST, covers_until=cutoff
            )
    except IntegrityError:  # one_digest_per_member_and_cutoff: another worker has it
        return None
    rows = preloaded
    earlier = AlertEmail.objects.filter(
        user_id=user_id,
        kind=EmailKind.DIGEST,
        status__in=[EmailStatus.SENDING, EmailStatus.SENT],
        pk__gt=horizon,
        pk__lt=email.pk,
    )
    if earlier.exists():  # rare: another run claimed meanwhile; read what is left exactly
        rows = [
            Pending(*values)
            for values in Delivery.objects.filter(
                user_id=user_id,
                mode=Mode.DAILY,
                status=DeliveryStatus.PENDING,
                created_at__lt=cutoff,
            )
            .exclude(Exists(_digest_owners(email.pk)))
            .values_list(*PENDING_FIELDS)
        ]
    if not rows:
        email.delete()
        return None
    return email, rows


def _finish(email: AlertEmail, ok: bool, error: str = "") -> None:
    if ok:
        AlertEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.SENT, sent_at=timezone.now()
        )
    else:  # refused: the deliveries stay pending and belong to no digest
        AlertEmail.objects.filter(pk=email.pk).update(status=EmailStatus.FAILED, error=error[:300])


def send_digests(
    user_ids: list[int], cutoff: dt.datetime | None = None, connection: Any = None
) -> int:
    """Send each of `user_ids` one digest of their pending daily deliveries created before
    `cutoff`; return how many digests went out. Each digest is claimed just before it is
    sent, so a worker killed halfway leaves at most one message in doubt; its deliveries
    are settled in bulk when the task ends, or by the next task for these members."""
    cutoff = cutoff or timezone.now()
    horizon = AlertEmail.objects.aggregate(last=Max("pk"))["last"] or 0
    settle_digests(user_ids)  # what a stopped worker left behind
    preloaded = _pending_daily(user_ids, cutoff)
    users = {
        u.pk: u for u in get_user_model().objects.filter(pk__in=list(preloaded), is_active=True)
    }
    prime_permissions(users.values())
    wanted = {p.article_id for rows in preloaded.values() for p in rows}
    articles = {a.pk: a for a in Article.objects.filter(pk__in=wanted).defer("body", "body_html")}
    builder = DigestBuilder()
    connection = connection or get_connection()
    sent = 0
    dropped: list[int] = []
    done: list[tuple[int, AlertEmail]] = []
    with connection:
        for user_id, pending in preloaded.items():
            user = users.get(user_id)
            if user is None:  # deactivated (or deleted) since: nothing goes out to them
                dropped += [d.pk for d in pending]
                continue
            claim = _claim_digest(user_id, cutoff, pending, horizon)
            if claim is None:
                continue
            email, rows = claim
            entries, unreadable = _digest_entries(user, rows, articles)
            dropped += unreadable
            if not entries or not user.email:
                _finish(email, ok=True)
                done.append((user_id, email))
                continue
            error = _send_digest(connection, builder, user, email, entries)
            if error is not None:
                if refused_for_good(error):  # not every minute from now on: dropped
                    dropped += [d.pk for d in rows]
                continue
            done.append((user_id, email))
            sent += 1
    Delivery.objects.filter(pk__in=dropped, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.DROPPED
    )
    # one statement marks the deliveries of every digest this task sent (cheaper than a
    # statement per digest, measured)
    settle_digests([user_id for user_id, _ in done])
    return sent


def _pending_daily(user_ids: list[int], cutoff: dt.datetime) -> dict[int, list[Pending]]:
    """Each member's pending daily deliveries created before `cutoff`."""
    preloaded: dict[int, list[Pending]] = defaultdict(list)
    for user_id, *values in Delivery.objects.filter(
        user_id__in=user_ids, mode=Mode.DAILY, status=DeliveryStatus.PENDING, created_at__lt=cutoff
    ).values_list("user_id", *PENDING_FIELDS):
        preloaded[user_id].append(Pending(*values))
    return preloaded


def _digest_entries(
    user: Any, rows: list[Pending], articles: dict[int, Article]
) -> tuple[list[Item], list[int]]:
    """The digest's items for `user`, best and newest first, and the deliveries left out
    (retracted since, or matched only through a body they may not read). Articles published
    after the task began are added to `articles`."""
    for d in rows:
        if d.article_id not in articles:
            articles[d.article_id] = Article.objects.get(pk=d.article_id)
    tiers = readable_tiers(user)
    entries = []
    dropped = []
    for d in sorted(
        rows, key=lambda d: (d.score, articles[d.article_id].published_at), reverse=True
    ):
        article = articles[d.article_id]
        readable = article.access in tiers
        reasons = d.reasons if readable else d.teaser_reasons
        if article.is_visible and reasons:
            entries.append(Item(article, reasons, readable))
        else:
            dropped.append(d.pk)
    return entries, dropped


def _send_digest(
    connection: Any, builder: DigestBuilder, user: Any, email: AlertEmail, entries: list[Item]
) -> Exception | None:
    """Send one digest (at most GEOPOL_DIGEST_MAX_ITEMS items, with the count of the rest)
    and record the outcome on `email`; the error when the server refused it."""
    limit = settings.GEOPOL_DIGEST_MAX_ITEMS
    message = builder.message(user, email.pk, entries[:limit], more=max(0, len(entries) - limit))
    try:
        connection.send_messages([message])
    except Exception as error:
        log.warning("digest email %s refused: %s", email.pk, error)
        _finish(email, ok=False, error=str(error))
        return error
    _finish(email, ok=True)
    return None


def refresh_planner_statistics() -> None:
    """SQLite only: sample the deliveries table so the query planner looks a member's
    deliveries up by member, not by status (every one is pending before a digest). A
    bounded sample (analysis_limit) keeps this cheap on a large table."""
    if connection.vendor != "sqlite":
        return  # PostgreSQL's autovacuum keeps its statistics
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute(f"ANALYZE {Delivery._meta.db_table}")


def last_digest_time(
    now: dt.datetime | None = None, hour: int | None = None, zone: str = "UTC"
) -> dt.datetime:
    """The latest daily digest moment at or before `now`: `hour` o'clock (default
    GEOPOL_DIGEST_HOUR) in the time zone `zone`, as an aware UTC datetime."""
    now = now or timezone.now()
    hour = settings.GEOPOL_DIGEST_HOUR if hour is None else hour
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    day = local.date()
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
    if moment > local:
        moment = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(hour), tzinfo=tz)
    return moment.astimezone(dt.UTC)


def due_digests(now: dt.datetime | None = None) -> dict[dt.datetime, list[int]]:
    """The members whose digest is due, by cutoff: those with a daily delivery waiting since
    before their latest digest moment (their DigestSchedule, else GEOPOL_DIGEST_HOUR UTC).
    One query over the deliveries waiting since before the latest of those moments: with
    one time zone, between digest hours, it reads nothing."""
    now = now or timezone.now()
    schedules = {
        user_id: (hour, zone)
        for user_id, hour, zone in DigestSchedule.objects.values_list("user_id", "hour", "timezone")
    }
    cutoffs: dict[tuple[int, str] | None, dt.datetime] = {None: last_digest_time(now)}
    for schedule in set(schedules.values()):
        cutoffs[schedule] = last_digest_time(now, *schedule)
    oldest = (
        Delivery.objects.filter(
            mode=Mode.DAILY, status=DeliveryStatus.PENDING, created_at__lt=max(cutoffs.values())
        )
        .values_list("user_id")
        .annotate(first=Min("created_at"))
        .order_by("user_id")
    )
    due: dict[dt.datetime, list[int]] = defaultdict(list)
    for user_id, first in oldest:
        cutoff = cutoffs[schedules.get(user_id)]
        if first < cutoff:
            due[cutoff].append(user_id)
    return dict(due)


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


# Forgetting: deliveries and emails are kept GEOPOL_ALERTS_KEEP_DAYS, then deleted

PRUNE_CHUNK = 5000  # rows per delete: SQLite's write lock is held for one chunk at a time


def keep_days_problem() -> str | None:
    """Why GEOPOL_ALERTS_KEEP_DAYS is unsafe, or None (also a system check at start-up)."""
    days = settings.GEOPOL_ALERTS_KEEP_DAYS
    if days != 0 and (days < 0 or dt.timedelta(days=days) <= alert_window()):
        return (
            f"GEOPOL_ALERTS_KEEP_DAYS ({days}) must be longer than GEOPOL_ALERTS_MAX_AGE_HOURS "
            f"({settings.GEOPOL_ALERTS_MAX_AGE_HOURS} h): a member could otherwise be alerted "
            "twice about an article edited after its delivery was forgotten. Raise the first "
            "(0 keeps everything) or lower the second."
        )
    return None


def prune(now: dt.datetime | None = None, max_rows: int | None = None) -> dict[str, int]:
    """Delete the deliveries and emails older than GEOPOL_ALERTS_KEEP_DAYS that are settled:
    sent, dropped or in doubt; at most about `max_rows` of each (send-due, every minute,
    takes a bite; `geopol alerts prune` takes all). Waiting deliveries are kept, and with
    GEOPOL_ALERTS_KEEP_DAYS=0 everything is. Safe because an article alerts only within
    GEOPOL_ALERTS_MAX_AGE_HOURS of its publication and of its first matching (the setting is
    checked to be shorter; MatchedArticle rows are kept), and a digest's deliveries are
    settled before its email goes."""
    problem = keep_days_problem()
    if problem:
        raise ValueError(problem)
    now = now or timezone.now()
    try:
        before = now - dt.timedelta(days=settings.GEOPOL_ALERTS_KEEP_DAYS)
    except OverflowError:  # kept longer than the calendar goes back
        before = None
    if not settings.GEOPOL_ALERTS_KEEP_DAYS or before is None:
        return {"deliveries": 0, "emails": 0}
    # a digest owns its deliveries only through its email: mark them before it goes
    unsettled = AlertEmail.objects.filter(
        kind=EmailKind.DIGEST,
        settled=False,
        status__in=[EmailStatus.SENDING, EmailStatus.SENT],
        created_at__lt=before,
    )
    settle_digests(list(unsettled.values_list("user_id", flat=True).distinct()))
    deliveries = Delivery.objects.filter(
        status__in=[DeliveryStatus.SENT, DeliveryStatus.DROPPED, DeliveryStatus.SENDING],
        mode__in=[Mode.IMMEDIATE, Mode.DAILY],  # the whole (status, mode, created_at) index
        created_at__lt=before,
    )
    emails = AlertEmail.objects.filter(
        status__in=[EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.SENDING],
        created_at__lt=before,
    )
    return {
        "deliveries": _delete_in_chunks(deliveries, max_rows),
        "emails": _delete_in_chunks(emails, max_rows),
    }


def _delete_in_chunks(queryset: QuerySet[Any], max_rows: int | None) -> int:
    deleted = 0
    while max_rows is None or deleted < max_rows:
        chunk = list(queryset.values_list("pk", flat=True)[:PRUNE_CHUNK])
        if not chunk:
            break
        with transaction.atomic():
            deleted += queryset.model.objects.filter(pk__in=chunk).delete()[0]
    return deleted
