"""Glue for django-axes: which account a log-in attempt was for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q


def login_name(request: Any, credentials: dict | None) -> str | None:
    """allauth authenticates with `email=`; its form posts `login`; the admin posts a
    username. One account has one failure count, whichever name was typed and in whatever
    case (its email address); a name with no account counts as typed, lower-cased."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username")
    if not name and request is not None and hasattr(request, "POST"):
        name = request.POST.get("login") or request.POST.get("username")
    if not name or not name.strip():
        return None
    name = name.strip().lower()
    accounts = get_user_model().objects.filter(Q(email__iexact=name) | Q(username__iexact=name))
    found = accounts.order_by("-is_staff", "pk").values_list("email", "username").first()
    return (found[0] or found[1]).lower() if found else name


def display_name(user) -> str:
    """How a reader is named in pages and emails: their address."""
    return getattr(user, "email", "") or str(user)
