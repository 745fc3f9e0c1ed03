"""Who may read an article's full text. The members issue adds tiers and metering here."""

from __future__ import annotations

from typing import Any

from geopol.articles.models import Access, Article


def can_read(user: Any, article: Article) -> bool:
    if article.access == Access.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if article.access == Access.REGISTERED:
        return True
    return bool(user.is_staff or user.has_perm("articles.read_members"))


def can_preview(user: Any) -> bool:
    """Editors may open drafts, articles in review and scheduled ones before they are due."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def readable_tiers(user: Any) -> frozenset[str]:
    """The access levels whose full text `user` may read (and so search)."""
    if user is None or not user.is_authenticated:
        return frozenset({Access.PUBLIC})
    if user.is_staff or user.has_perm("articles.read_members"):
        return frozenset({Access.PUBLIC, Access.REGISTERED, Access.MEMBERS})
    return frozenset({Access.PUBLIC, Access.REGISTERED})
