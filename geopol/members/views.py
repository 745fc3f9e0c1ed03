from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from geopol.members import apikeys, services
from geopol.members.forms import DeleteAccountForm, InviteForm
from geopol.members.metering import AccountMeter
from geopol.members.models import Membership, Organization, Seat
from geopol.members.tiers import Tier, tier_of

MAX_API_KEYS = 10


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    tier = tier_of(user)
    meter = AccountMeter(lambda: settings.GEOPOL_METERED_ARTICLES).status(user)
    return render(
        request,
        "members/account.html",
        {
            "tier": tier,
            "memberships": Membership.objects.filter(user=user),
            "seats": Seat.objects.filter(user=user).select_related("organization"),
            "meter": meter if tier == Tier.REGISTERED else None,
        },
    )


@login_required
def api_keys(request: HttpRequest) -> HttpResponse:
    """The reader's API keys: create one (shown once), see when each was last used."""
    created = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, "Give the key a name, so you can tell it apart later.")
        elif request.user.api_keys.active().count() >= MAX_API_KEYS:
            messages.error(request, f"You have {MAX_API_KEYS} keys: revoke one first.")
        else:
            _, created = apikeys.create_key(request.user, name)
    response = render(
        request,
        "members/api_keys.html",
        {
            "keys": request.user.api_keys.all(),
            "created": created,
            "rate": settings.GEOPOL_API_KEY_RATE,
        },
    )
    response["Cache-Control"] = "no-store"  # the page may hold a key shown once
    return response


@login_required
@require_POST
def revoke_api_key(request: HttpRequest, key_id: int) -> HttpResponse:
    if apikeys.revoke_key(request.user, key_id):
        messages.success(request, "The key was revoked: programs using it are refused now.")
    return redirect("member-api-keys")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        deleted = services.delete_account(user)
        return render(request, "members/account_deleted.html", {"deleted": deleted})
    return render(request, "members/account_delete.html", {"form": form})


def _administered(request: HttpRequest, slug: str) -> Organization:
    """The organization `slug` if the reader administers it; 404 otherwise (no hint that
    another organization exists)."""
    if not request.user.is_authenticated:
        raise Http404("No such organization")
    return get_object_or_404(
        Organization, slug=slug, seats__user=request.user, seats__is_admin=True
    )


@login_required
def organization(request: HttpRequest, slug: str) -> HttpResponse:
    org = _administered(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.invite(
                org,
                form.cleaned_data["email"],
                by=request.user,
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except services.SeatError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {seat.email}.")
            return redirect(org)
    return render(
        request,
        "members/organization.html",
        {"org": org, "seats": org.seats.select_related("user"), "form": form},
    )


@login_required
@require_POST
def remove_seat(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    org = _administered(request, slug)
    try:
        seat = services.remove(org, seat_id, by=request.user)
    except services.SeatError as error:
        if "No such seat" in str(error):
            raise Http404(str(error)) from error
        messages.error(request, str(error))
    else:
        messages.success(request, f"{seat.email} no longer has a seat.")
    return redirect(org)


@login_required
def accept_seat(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            seat = services.accept(token, request.user)
        except services.SeatError as error:
            messages.error(request, str(error))
            return redirect("member-account")
        messages.success(request, f"You now read as a member of {seat.organization.name}.")
        return redirect("member-account")
    seat = Seat.objects.select_related("organization").filter(token=token).first()
    if seat is None:
        raise Http404("This invitation does not exist or was withdrawn.")
    return render(request, "members/seat_accept.html", {"seat": seat})
