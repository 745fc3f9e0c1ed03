"""Metered reads: a registered reader may open N members-only articles a calendar month
(UTC), counted per account in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from geopol.articles.access import Reading
from geopol.articles.models import Access, Article
from geopol.members.models import MeteredRead


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
        with transaction.atomic():
            # lock-free but safe: two tabs opening at once may both pass the count check, so
            # the count is checked again after the insert and the insert undone if over
            used = MeteredRead.objects.filter(user_id=user.pk, month=month).count()
            if used >= allowance:
                return None
            try:
                with transaction.atomic():
                    MeteredRead.objects.create(user_id=user.pk, article=article, month=month)
            except IntegrityError:  # already opened this month
                pass
            used = MeteredRead.objects.filter(user_id=user.pk, month=month).count()
            if used > allowance:
                transaction.set_rollback(True)
                return None
        if hasattr(user, "_geopol_metered"):
            del user._geopol_metered
        return Reading(True, used, allowance)
