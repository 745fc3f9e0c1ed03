"""A piece's revisions on the desk: the history (author, time, note), a word-level diff
between any two, and a one-click restore that is itself a new revision. History is never
deleted from here."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from geopol.articles.models import Article, Revision
from geopol.articles.services import restore_revision
from geopol.desk import diff, services
from geopol.desk.views import desk_user


@desk_user
def history(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    revisions = list(article.revisions.select_related("editor").order_by("-number"))
    return render(
        request,
        "desk/history.html",
        {
            "article": article,
            "revisions": revisions,
            "can_restore": _may_restore(request, article),
        },
    )


def _may_restore(request: HttpRequest, article: Article) -> bool:
    return services.may_edit(request.user, article)


def _revision(article: Article, number: str | None) -> Revision:
    if number is None or not number.isdigit():
        raise Http404("Give two revision numbers, ?a=N&b=M")
    return get_object_or_404(Revision, article=article, number=int(number))


@desk_user
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    old, new = _revision(article, request.GET.get("a")), _revision(article, request.GET.get("b"))
    if old.number > new.number:
        old, new = new, old
    body = diff.word_diff(old.body, new.body)
    added, removed = diff.counts(body)
    return render(
        request,
        "desk/compare.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "title": diff.word_diff(old.title, new.title),
            "teaser": diff.word_diff(old.teaser, new.teaser),
            "body": body,
            "added": added,
            "removed": removed,
            "fields": [
                (name, getattr(old, name), getattr(new, name))
                for name in ("status", "access", "published_at")
                if getattr(old, name) != getattr(new, name)
            ],
            "can_restore": _may_restore(request, article),
        },
    )


@desk_user
@require_POST
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    revision = get_object_or_404(Revision, article=article, number=number)
    if not _may_restore(request, article):
        messages.error(request, "You may not change this piece now (analysts: own drafts only).")
        return redirect("desk:history", pk=pk)
    restore_revision(revision, editor=request.user, source="desk")
    latest = article.revisions.order_by("-number").first()
    messages.success(
        request,
        f"Restored the text of revision {revision.number} as revision "
        f"{latest.number if latest else '?'}.",
    )
    return redirect(reverse("desk:edit", args=[pk]))
