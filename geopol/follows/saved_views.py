"""Saving a search from the results page, and the list of saved searches under My Geopol."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from geopol.follows import saved
from geopol.follows.models import FollowKind, Frequency, SavedSearch

# the search page's parameters a saved search keeps (geopol.articles.search_views)
SAVED_PARAMS = ("region", "country", "type", "topic", "year", "actor", "author", "place")
DATE_PARAMS = ("from", "to")


@require_POST
@login_required
def save_search(request: HttpRequest) -> HttpResponse:
    data = request.POST
    filters = {name: data.getlist(name) for name in SAVED_PARAMS + DATE_PARAMS if data.get(name)}
    try:
        item = saved.save_search(
            request.user,
            data.get("name", ""),
            data.get("q", ""),
            filters,
            data.get("frequency", Frequency.DAILY),
        )
    except saved.SavedSearchError as error:
        messages.error(request, str(error))
        return redirect("follows:saved-searches")
    messages.success(
        request, f"Saved \u2018{item.name}\u2019: new analyses that match come to you."
    )
    return redirect("follows:saved-searches")


@login_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        try:
            pk = int(request.POST.get("search", ""))
        except ValueError as error:
            raise Http404("No such saved search") from error
        if request.POST.get("action") == "delete":
            if not saved.delete_search(user, pk):
                raise Http404("No such saved search")
            messages.info(request, "Saved search deleted.")
        else:
            item = saved.update_search(
                user, pk, request.POST.get("name", ""), request.POST.get("frequency", "")
            )
            if item is None:
                raise Http404("No such saved search")
            messages.success(request, f"\u2018{item.name}\u2019 updated.")
        return redirect("follows:saved-searches")
    searches = list(SavedSearch.objects.filter(user=user))
    frequencies = dict(user.follows.filter(kind=FollowKind.SEARCH).values_list("key", "frequency"))
    rows = [(s, frequencies.get(str(s.pk), Frequency.NONE)) for s in searches]
    return render(
        request,
        "follows/saved_searches.html",
        {"rows": rows, "frequencies": Frequency.choices},
    )
