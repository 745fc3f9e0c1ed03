"""Metered reads: a registered reader may open N members-only articles a calendar month
(UTC), counted per account in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, router, transaction
from django.utils import timezone

from geopol.articles.access import Reading
from geopol.articles.models import Access, Article
from geopol.members.models import MeteredRead


def _lock_account(user: Any) -> None:
    """Hold `user`'s row until the transaction ends (a no-op on SQLite, which has no
    row locks and needs none)."""
    users = get_user_model()._default_manager.select_for_update()
    list(users.filter(pk=user.pk).values_list("pk"))


def month_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date().replace(day=1)


class AccountMeter:
    """The `articles.access.Meter` the members app installs. `allowance` is read at each call,
    so a changed setting (or a test's override) takes effect at once."""

    def __init__(self, allowance: Callable[[], int]):
        self.allowance = allowance

    def _opened(self, user: Any) -> set[int]:
        """Article ids `user` opened this month; cached on the user object for the request."""
        month = month_of(timezone.now())
        cached = getattr(user, "_geopol_metered", None)
        if cached is None or cached[0] != month:
            ids = set(
                MeteredRead.objects.filter(user_id=user.pk, month=month).values_list(
                    "article_id", flat=True
                )
            )
            cached = (month, ids)
            user._geopol_metered = cached
        return cached[1]

    def has_opened(self, user: Any, article: Article) -> bool:
        if self.allowance() <= 0 or not user.is_authenticated:
            return False
        return article.pk in self._opened(user)

    def status(self, user: Any) -> Reading | None:
        allowance = self.allowance()
        if allowance <= 0 or not user.is_authenticated:
            return None
        return Reading(False, len(self._opened(user)), allowance)

    def open(self, user: Any, article: Article) -> Reading | None:
        allowance = self.allowance()
        if allowance <= 0 or not user.is_authenticated or article.access != Access.MEMBERS:
            return None
        month = month_of(timezone.now())
        using = router.db_for_write(MeteredRead)
        with transaction.atomic(using=using):
            # One account's reads take turns: under READ COMMITTED two tabs each counted the
            # committed reads, inserted and passed (7 of 12 racing accounts read 3-4 pieces
            # with an allowance of 2). The account's row lock orders them on PostgreSQL;
            # SQLite's IMMEDIATE transactions already hold the one write lock from here.
            _lock_account(user)
            used = MeteredRead.objects.filter(user_id=user.pk, month=month).count()
            try:
                with transaction.atomic(using=using):
                    MeteredRead.objects.create(user_id=user.pk, article=article, month=month)
            except IntegrityError:  # already opened this month: spends nothing
                pass
            else:
                if used >= allowance:
                    transaction.set_rollback(True, using=using)
                    return None
                used += 1
        if hasattr(user, "_geopol_metered"):
            del user._geopol_metered
        return Reading(True, used, allowance)
