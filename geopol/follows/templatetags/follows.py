"""Follow and save buttons for the pages of the apps below (regions, countries, actors,
topics, authors, articles): plain POST forms with CSRF, no JavaScript needed."""

from __future__ import annotations

from typing import Any

from django import template

from geopol.core.db import PreparedQuery
from geopol.follows.models import Bookmark, Follow
from geopol.follows.targets import target_of

register = template.Library()


@register.inclusion_tag("follows/includes/follow_button.html", takes_context=True)
def follow_button(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    request = context["request"]
    kind, key = target_of(obj)
    following = request.user.is_authenticated and (
        Follow.objects.filter(user=request.user, kind=kind, key=key).exists()
    )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "obj": obj,
        "kind": kind,
        "key": key,
        "following": following,
    }


# on every article page a signed-in reader opens: compiled once (see PreparedQuery)
_bookmarked = PreparedQuery(
    lambda user_id, article_id: (
        Bookmark.objects.filter(user_id=user_id, article_id=article_id)
        .order_by()
        .values_list("pk")[:1]
    ),
    int,
    int,
)


@register.inclusion_tag("follows/includes/bookmark_button.html", takes_context=True)
def bookmark_button(context: dict[str, Any], article: Any) -> dict[str, Any]:
    request = context["request"]
    saved = request.user.is_authenticated and bool(_bookmarked(request.user.pk, article.pk))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "article": article,
        "saved": saved,
    }
