"""Who may read an article's full text.

The articles app knows three access levels and asks the user object: `registered` needs an
account, `members` needs the `articles.read_members` permission (staff have it; the members
app grants it to paying and institutional members through an authentication backend).
Metering, which lets a registered reader open a few members-only articles a month, lives in
the members app too and plugs in through `register_meter`, so this module never imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from geopol.articles.models import Access, Article, Status


class Meter(Protocol):
    def has_opened(self, user: Any, article: Article) -> bool:
        """True when `user` already opened `article` with a metered read this period."""

    def open(self, user: Any, article: Article) -> Reading | None:
        """Spend one of `user`'s metered reads on `article`; None when none is left."""

    def status(self, user: Any) -> Reading | None:
        """What the meter would say to `user` now, without spending anything."""


@dataclass(frozen=True)
class Reading:
    """The outcome of opening an article: readable or not, and what the meter says."""

    readable: bool
    used: int = 0  # metered reads spent this period, this one included
    allowance: int = 0  # metered reads per period; 0 when metering is off

    @property
    def left(self) -> int:
        return max(0, self.allowance - self.used)


_meter: Meter | None = None


def register_meter(meter: Meter | None) -> None:
    """Install the meter (the members app does, at start-up); None removes it."""
    global _meter
    _meter = meter


def is_member(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff or user.has_perm("articles.read_members"))
    )


def can_read(user: Any, article: Article) -> bool:
    if article.access == Access.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if article.access == Access.REGISTERED:
        return True
    if is_member(user):
        return True
    return _meter is not None and _meter.has_opened(user, article)


def open_article(user: Any, article: Article) -> Reading:
    """Open `article` on its page: like `can_read`, except that a registered reader with
    metered reads left spends one on a members-only article. Only the article page calls
    this; every other surface (API, feeds, search, maps) asks `can_read`."""
    if can_read(user, article):
        if article.access == Access.MEMBERS and _meter is not None and not is_member(user):
            status = _meter.status(user)  # opened earlier this period with a metered read
            if status is not None:
                return Reading(True, status.used, status.allowance)
        return Reading(True)
    if article.access == Access.MEMBERS and _meter is not None and user.is_authenticated:
        opened = _meter.open(user, article)
        if opened is not None:
            return opened
        status = _meter.status(user)
        if status is not None:
            return Reading(False, status.used, status.allowance)
    return Reading(False)


def has_page(article: Article) -> bool:
    """Whether readers find a page at the article's address: published (or scheduled and
    due), or retracted (its notice stays for the record). Drafts, pieces in review and
    scheduled ones not yet due are a 404 to everyone but editors (can_preview)."""
    return article.is_visible or article.status == Status.RETRACTED


def can_preview(user: Any) -> bool:
    """Editors may open drafts, articles in review and scheduled ones before they are due."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


# The access levels each kind of reader reads in full (staff read like members).
TIERS_BY_READER = {
    "anonymous": frozenset({Access.PUBLIC}),
    "registered": frozenset({Access.PUBLIC, Access.REGISTERED}),
    "member": frozenset({Access.PUBLIC, Access.REGISTERED, Access.MEMBERS}),
}


def reader_kind(user: Any) -> str:
    """'anonymous', 'registered' or 'member' (staff included): the keys of TIERS_BY_READER."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return "member" if is_member(user) else "registered"


def readable_tiers(user: Any) -> frozenset[str]:
    """The access levels whose full text `user` may read (and so search). A metered read
    opens one article, not a tier: metered readers search like registered ones."""
    return TIERS_BY_READER[reader_kind(user)]
