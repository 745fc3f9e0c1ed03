"""Glue for django-axes: which account a log-in attempt was for."""

from __future__ import annotations

from typing import Any


def login_name(request: Any, credentials: dict | None) -> str | None:
    """allauth authenticates with `email=`; its form posts `login`. Lower-cased, so
    'Ana@X.org' and 'ana@x.org' share one failure count."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username")
    if not name and request is not None and hasattr(request, "POST"):
        name = request.POST.get("login") or request.POST.get("username")
    return name.strip().lower() if name else None


def display_name(user) -> str:
    """How a reader is named in pages and emails: their address."""
    return getattr(user, "email", "") or str(user)
