"""Forms of the follows app."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from django import forms

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


@cache
def zone_choices() -> list[tuple[str, str]]:
    # not Etc/GMT+5 and the like, whose signs are the reverse of what people expect
    names = sorted(
        z for z in available_timezones() if ("/" in z and not z.startswith("Etc/")) or z == "UTC"
    )
    return [(z, z.replace("_", " ")) for z in names]


class DigestScheduleForm(forms.Form):
    hour = forms.TypedChoiceField(label="After", choices=HOURS, coerce=int)
    timezone = forms.ChoiceField(
        label="Time zone",
        choices=zone_choices,
        error_messages={
            "invalid_choice": "%(value)s is not a time zone we know; pick one from "
            "the list (e.g. Europe/Paris)."
        },
    )
