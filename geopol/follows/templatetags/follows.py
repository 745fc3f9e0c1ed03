"""Follow and save buttons for the pages of the apps below (regions, countries, actors,
topics, authors, articles): plain POST forms with CSRF, no JavaScript needed."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from geopol.core.db import PreparedQuery
from geopol.follows.models import Bookmark, Follow, FollowKind
from geopol.follows.targets import target_of

register = template.Library()


@register.inclusion_tag("follows/includes/follow_button.html", takes_context=True)
def follow_button(context: Any, obj: Any) -> dict[str, Any]:
    request = context["request"]
    kind, key = target_of(obj)
    following = request.user.is_authenticated and (
        Follow.objects.filter(user=request.user, kind=kind, key=key).exists()
    )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "obj": obj,
        # a storyline's name is a headline already written above the button
        "name": "this storyline" if kind == FollowKind.STORYLINE else str(obj),
        "kind": kind,
        "key": key,
        "following": following,
    }


def follow_part(context: Any, obj: Any) -> str:
    """The follow button in the "follow" slot of the pages below (articles.parts)."""
    return render_to_string("follows/includes/follow_button.html", follow_button(context, obj))


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


def bookmark_form(user: Any, article: Any, csrf_token: str, next_path: str) -> str:
    """The save/remove form for `article`, as `user` sees it: plain HTML built here rather
    than by a template (it is filled into every article page a signed-in reader opens)."""
    if not user.is_authenticated:
        return ""
    saved = bool(_bookmarked(user.pk, article.pk))
    return format_html(
        '<form class="bookmark-form" method="post" action="{}">\n'
        '  <input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
        '  <input type="hidden" name="next" value="{}">\n'
        '  <button type="submit" class="button button-bookmark" aria-pressed="{}">{}</button>\n'
        "</form>",
        reverse("follows:bookmark", args=[article.pk]),
        csrf_token,
        next_path,
        "true" if saved else "false",
        "Saved · Remove from reading list" if saved else "Save for later",
    )


@register.simple_tag(takes_context=True)
def bookmark_button(context: dict[str, Any], article: Any) -> str:
    request = context["request"]
    return bookmark_form(
        request.user, article, str(context.get("csrf_token", "")), request.get_full_path()
    )
