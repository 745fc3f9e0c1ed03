from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from geopol.articles.access import can_read, readable_tiers
from geopol.articles.models import Article
from geopol.core.siteurl import site_url
from geopol.follows import services
from geopol.follows.emails import read_unsubscribe_token
from geopol.follows.forms import DigestScheduleForm
from geopol.follows.models import (
    Bookmark,
    DigestSchedule,
    Follow,
    FollowKind,
    Frequency,
    PrivateFeed,
)
from geopol.follows.reasons import reasons_for
from geopol.follows.targets import articles_q, describe, find_target, load_tags

PAGE_SIZE = 20
PLURALS = {
    FollowKind.REGION: "Regions",
    FollowKind.COUNTRY: "Countries",
    FollowKind.ACTOR: "Actors",
    FollowKind.TOPIC: "Topics",
    FollowKind.AUTHOR: "Analysts",
    FollowKind.STORYLINE: "Storylines",
}


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page the form was on; never to another site."""
    target = request.POST.get("next", "")
    # a path on this site only: redirect() would read "AAAA" as a view name (a 500)
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(default)
    return HttpResponseRedirect(target)


@require_POST
@login_required
def follow_toggle(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    obj = find_target(kind, key)
    if obj is None:
        raise Http404("Nothing to follow here")
    if request.POST.get("action") == "unfollow":
        services.unfollow(request.user, kind, key)
        messages.info(request, f"You no longer follow {obj}.")
    else:
        frequency = request.POST.get("frequency", Frequency.DAILY)
        if frequency not in Frequency.values:
            frequency = Frequency.DAILY
        services.follow(request.user, obj, frequency)
        messages.success(request, f"You follow {obj}. It appears in My Geopol.")
    return _back(request, obj.get_absolute_url())


@login_required
def my_geopol(request: HttpRequest) -> HttpResponse:
    user = request.user
    pairs = list(Follow.objects.filter(user=user).values_list("kind", "key"))
    tiers = readable_tiers(user)
    articles = (
        Article.objects.published().filter(articles_q(pairs, tiers)).newest().for_listing()
        if pairs
        else Article.objects.none()
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    tags = load_tags([a.pk for a in page])
    for article in page:
        reasons = reasons_for(tags[article.pk], pairs, can_read(user, article))
        article.reasons = [str(r) for r in reasons]  # type: ignore[attr-defined]
    return render(
        request,
        "follows/my_geopol.html",
        {"page": page, "follow_count": len(pairs)},
    )


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            pk = int(request.POST.get("follow", ""))
        except ValueError:
            pk = 0
        item = services.set_frequency(request.user, pk, request.POST.get("frequency", ""))
        if item is None:
            raise Http404("No such follow")
        messages.success(request, "Saved.")
        return redirect("follows:manage")
    follows = list(Follow.objects.filter(user=request.user))
    names = describe((f.kind, f.key) for f in follows)
    groups = []
    for kind, label in PLURALS.items():
        rows = [(f, names.get((f.kind, f.key))) for f in follows if f.kind == kind]
        if rows:
            groups.append({"label": label, "rows": rows})
    feed = PrivateFeed.objects.filter(user=request.user).first()
    schedule = DigestSchedule.objects.filter(user=request.user).first()
    return render(
        request,
        "follows/manage.html",
        {
            "groups": groups,
            "frequencies": Frequency.choices,
            "feed_url": site_url(request) + reverse("follows:private-feed", args=[feed.token])
            if feed
            else "",
            "digest_form": DigestScheduleForm(
                initial={"hour": schedule.hour, "timezone": schedule.timezone}
                if schedule
                else {"hour": settings.GEOPOL_DIGEST_HOUR, "timezone": "UTC"}
            ),
        },
    )


@require_POST
@login_required
def digest_settings(request: HttpRequest) -> HttpResponse:
    form = DigestScheduleForm(request.POST)
    if form.is_valid():
        hour, zone = form.cleaned_data["hour"], form.cleaned_data["timezone"]
        services.set_digest_schedule(request.user, hour, zone)
        messages.success(request, f"Your daily digest now comes after {hour:02d}:00, {zone}.")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"Daily digest, {label}: {' '.join(errors)}")
    return redirect("follows:manage")


@require_POST
@login_required
def private_feed_settings(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        services.revoke_private_feed(request.user)
        messages.info(request, "Your private feed is switched off; its address no longer works.")
    else:
        services.rotate_private_feed(request.user)
        messages.success(
            request, "Your private feed has a new address; any earlier one no longer works."
        )
    return redirect("follows:manage")


@require_POST
@login_required
def bookmark_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), pk=pk)
    saved = services.toggle_bookmark(request.user, article)
    messages.info(
        request, "Saved to your reading list." if saved else "Removed from your reading list."
    )
    return _back(request, article.get_absolute_url())


@login_required
def reading_list(request: HttpRequest) -> HttpResponse:
    saved = Bookmark.objects.filter(user=request.user, article__in=Article.objects.published())
    articles = Article.objects.filter(pk__in=saved.values("article_id")).for_listing()
    order = {pk: i for i, pk in enumerate(saved.values_list("article_id", flat=True))}
    page = Paginator(sorted(articles, key=lambda a: order[a.pk]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "follows/reading_list.html", {"page": page})


@csrf_exempt  # the signed token is the credential; mail providers POST without cookies
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058 one-click unsubscribe: POST does it (no login); GET only asks, because link
    scanners open every URL in a message."""
    found = read_unsubscribe_token(token)
    if found is None or not get_user_model().objects.filter(pk=found[0]).exists():
        return render(request, "follows/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        stopped = services.unsubscribe(*found)
        return render(
            request, "follows/unsubscribe.html", {"done": True, "stopped": stopped or "nothing"}
        )
    return render(request, "follows/unsubscribe.html", {"token": token})
