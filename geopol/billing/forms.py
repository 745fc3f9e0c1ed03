from __future__ import annotations

from django import forms

from geopol.billing.models import Plan

MAX_SEATS = 10_000


class CheckoutForm(forms.Form):
    """What the membership page sends to start a Checkout: seats and a name for an
    institutional plan."""

    seats = forms.IntegerField(min_value=1, max_value=MAX_SEATS, required=False)
    organization = forms.CharField(max_length=200, required=False)
    grow = forms.SlugField(max_length=80, required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        data = super().clean()
        if self.plan.institutional:
            seats = data.get("seats") or 0
            if seats < self.plan.min_seats:
                self.add_error("seats", f"This plan starts at {self.plan.min_seats} seats.")
            if not data.get("grow") and not (data.get("organization") or "").strip():
                self.add_error("organization", "Give your organization's name.")
        return data
