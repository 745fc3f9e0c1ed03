"""Date and time formats shared by pages, feeds and the CLI."""

from __future__ import annotations

import datetime as dt

DATELINE_FORMAT = "%b %d, %Y | %H:%M GMT"  # for reading; strptime takes "7" and "07"


def day_label(day: dt.date) -> str:
    """A day in the site's one date style: 'Jan 7, 2013' (no leading zero), as datelines,
    timelines and every template (the `day` filter, core/templatetags/dates.py) write it."""
    return f"{day.strftime('%b')} {day.day}, {day.year}"


def dateline(moment: dt.datetime) -> str:
    """The publication stamp in the house style: 'Jan 11, 2013 | 18:09 GMT', 'Jan 7, 2013 |
    09:05 GMT' (always UTC)."""
    if moment.tzinfo is None:
        raise ValueError("dateline() needs an aware datetime")
    moment = moment.astimezone(dt.UTC)
    return f"{day_label(moment)} | {moment:%H:%M} GMT"


def parse_dateline(text: str) -> dt.datetime:
    """Read 'Jan 11, 2013 | 18:09 GMT' (day with or without a leading zero) as UTC."""
    cleaned = " ".join(text.split())
    for fmt in (DATELINE_FORMAT, "%b %d, %Y | %H:%M UTC", "%B %d, %Y | %H:%M GMT"):
        try:
            return dt.datetime.strptime(cleaned, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise ValueError(f"not a dateline like 'Jan 11, 2013 | 18:09 GMT': {text[:60]!r}")


def parse_iso(value: str | dt.date | dt.datetime) -> dt.datetime:
    """Read an ISO 8601 date or date-time; no offset means UTC. Raises ValueError."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        if not text:
            raise ValueError("empty date")
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"not an ISO 8601 date such as 2013-01-11 or 2013-01-11T18:09:00Z: {value!r}"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(f"date out of range: {value!r}") from None


def event_date(day: dt.date, precision: str = "day") -> str:
    """A timeline's date in the house style, no more exact than it is known: 'Jan 7, 2013'
    (day), 'Week of Jan 7, 2013' (week, by its Monday), 'Jan 2013' (month), '2013' (year)."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return day.strftime("%b %Y")
    label = day_label(day)
    return f"Week of {label}" if precision == "week" else label
