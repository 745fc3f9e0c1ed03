"""`{% load dates %}` then `{{ value|day }}`: a date or time as the site writes days,
'Jan 7, 2013' (core.timefmt.day_label), in UTC."""

from __future__ import annotations

import datetime as dt

from django import template

from geopol.core.timefmt import day_label

register = template.Library()


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return day_label(value)
