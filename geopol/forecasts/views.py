"""The public scorecard of the forecast ledger (/forecasts/) and following a country's
forecasts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from geopol.articles.access import readable_tiers
from geopol.forecasts import services
from geopol.forecasts.chart import reliability_svg
from geopol.forecasts.ledger import DIMENSIONS, build_scorecard
from geopol.forecasts.models import ForecastFollow, Judgment
from geopol.geo.models import Country

OPEN_PER_PAGE = 25


def scorecard(request: HttpRequest) -> HttpResponse:
    card = build_scorecard()
    tiers = readable_tiers(request.user)
    open_list = Judgment.objects.public().open().by_resolve_date().select_related("article")
    page = Paginator(open_list.prefetch_related("countries"), OPEN_PER_PAGE).get_page(
        request.GET.get("page")
    )
    countries = Country.objects.filter(judgments__isnull=False).distinct().order_by("name")
    followed = set()
    if request.user.is_authenticated:
        followed = set(
            ForecastFollow.objects.filter(user=request.user).values_list("country_id", flat=True)
        )
    return render(
        request,
        "forecasts/scorecard.html",
        {
            "card": card,
            "chart": reliability_svg(card.overall.bins, "Calibration of all resolved forecasts"),
            "dimensions": [(label, card.groups[key]) for key, label in DIMENSIONS],
            "open_page": page,
            "readable_tiers": tiers,
            "countries": countries,
            "followed": followed,
        },
    )


@require_POST
@login_required
def follow(request: HttpRequest) -> HttpResponse:
    country = Country.objects.filter(code=request.POST.get("country", "").upper()).first()
    if country is None:
        raise Http404("No such country")
    if request.POST.get("action") == "unfollow":
        services.unfollow_forecasts(request.user, country)
        messages.info(request, f"You no longer follow forecasts on {country.name}.")
    else:
        services.follow_forecasts(request.user, country)
        messages.success(
            request,
            f"You follow forecasts on {country.name}: an email when one of them resolves.",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/forecasts/#follow"
    return redirect(target)
