"""The desk's panels beside the text: the machine's reading (confirm, remove, add a country,
place or actor in one click; the place picker) and the key judgments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from geopol.articles.importers import InputError
from geopol.articles.importers.judgments import JudgmentData
from geopol.articles.models import Article
from geopol.desk import reading, services
from geopol.desk.forms import JudgmentFormSet
from geopol.desk.views import _is_fetch, desk_user
from geopol.extraction import decisions
from geopol.extraction.models import Actor, ActorKind, ArticleEntity, Decision
from geopol.forecasts.services import set_judgments
from geopol.geo.models import Country


def _editable(request: HttpRequest, article: Article) -> bool:
    return services.may_edit(request.user, article)


def _reading_answer(request: HttpRequest, article: Article, error: str = "") -> HttpResponse:
    """With JavaScript, the panel alone (it replaces itself); without, back to the editor."""
    if _is_fetch(request):
        return render(
            request,
            "desk/includes/reading.html",
            {
                "article": article,
                "reading": reading.panel(article),
                "editable": True,
                "reading_error": error,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("desk:edit", args=[article.pk]) + "#reading")


@desk_user
@require_POST
def decide(request: HttpRequest, pk: int, entity_id: int, decision: str) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    entity = get_object_or_404(ArticleEntity, pk=entity_id, article=article)
    if not _editable(request, article):
        return _reading_answer(request, article, "you may not change this piece now")
    wanted = {
        "confirm": Decision.CONFIRMED,
        "remove": Decision.REMOVED,
        "undo": Decision.PROPOSED,
    }.get(decision)
    if wanted is None:
        return _reading_answer(request, article, f"unknown decision {decision!r}")
    decisions.decide(entity, wanted)
    return _reading_answer(request, article)


@desk_user
@require_POST
def add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if not _editable(request, article):
        return _reading_answer(request, article, "you may not change this piece now")
    try:
        if kind == "place":
            decisions.add_place(article, request.POST.get("key", ""), request.POST.get("name", ""))
        elif kind in ("actor", "person"):
            decisions.add_actor(article, request.POST.get("key", ""))
        elif kind == "country":
            decisions.add_country(article, request.POST.get("key", ""))
        else:
            raise decisions.DecisionError(f"cannot add a {kind!r}")
    except decisions.DecisionError as error:
        return _reading_answer(request, article, str(error))
    return _reading_answer(request, article)


def _detail(actor: Actor) -> str:
    """What the picker shows beside an actor's name: its kind, or a person's latest office."""
    roles = actor.role_list() if actor.is_person else []
    if roles and roles[0].get("office"):
        return str(roles[0]["office"])
    return actor.get_kind_display()


@desk_user
def places(request: HttpRequest, pk: int) -> HttpResponse:
    """The place picker: gazetteer places by name, with country and population; each one a
    button that adds it. Works as a page of its own without JavaScript."""
    article = get_object_or_404(Article, pk=pk)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "place")
    if kind in ("actor", "person"):
        registry = Actor.objects.filter(name__icontains=query)
        registry = (
            registry.filter(kind=ActorKind.PERSON)
            if kind == "person"
            else registry.exclude(kind=ActorKind.PERSON)
        )
        found = (
            [{"key": a.slug, "name": a.name, "detail": _detail(a)} for a in registry[:12]]
            if len(query) >= 2
            else []
        )
    elif kind == "country":
        found = (
            [
                {"key": c.code, "name": c.name, "detail": c.code}
                for c in Country.objects.filter(name__icontains=query)[:12]
            ]
            if len(query) >= 2
            else []
        )
    else:
        kind = "place"
        found = [
            {
                "key": p.key,
                "name": p.name,
                "detail": f"{p.country_name} · "
                + (f"pop. {p.population:,}" if p.population else "population unknown")
                + (f" · {p.kind}" if p.kind not in ("city", "custom") else ""),
            }
            for p in decisions.find_places(query)
        ]
    template = "desk/includes/picker.html" if _is_fetch(request) else "desk/picker_page.html"
    return render(
        request, template, {"article": article, "found": found, "query": query, "kind": kind}
    )


def _judgment_data(form_data: dict) -> JudgmentData:
    return JudgmentData(
        statement=" ".join(form_data["statement"].split()),
        likelihood=form_data["likelihood"],
        probability=form_data.get("probability"),
        confidence=form_data.get("confidence") or "",
        resolves_by=form_data.get("resolves_by"),
        criteria=form_data.get("criteria") or "",
    )


@desk_user
def judgments(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the key judgments: the rows as they are, one empty row, the linter's proposals
    (each a button that adds it as a row)."""
    article = get_object_or_404(Article, pk=pk)
    editable = _editable(request, article)
    panel = reading.judgments_panel(article)
    initial = [
        {
            "statement": j.statement,
            "likelihood": j.likelihood,
            "probability": j.probability if j.probability_given else None,
            "confidence": j.confidence,
            "resolves_by": j.resolves_by,
            "criteria": j.criteria,
        }
        for j in panel["items"]
    ]
    if request.method == "POST" and editable:
        formset = JudgmentFormSet(request.POST, initial=initial)
        if formset.is_valid():
            rows = [
                f.cleaned_data
                for f in formset.forms
                if (f.cleaned_data.get("statement") or "").strip()
            ]
            try:
                set_judgments(article, [_judgment_data(r) for r in rows], editor=request.user)
            except InputError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"{len(rows)} key judgment(s) saved.")
                return redirect(reverse("desk:judgments", args=[pk]))
    else:
        proposal = request.GET.get("add")
        extra = []
        if proposal is not None and proposal.isdigit() and int(proposal) < len(panel["proposed"]):
            p = panel["proposed"][int(proposal)]
            extra = [
                {"statement": p.statement, "likelihood": p.likelihood, "probability": p.probability}
            ]
        formset = JudgmentFormSet(initial=initial + extra)
    return render(
        request,
        "desk/judgments.html",
        {"article": article, "formset": formset, "panel": panel, "editable": editable},
    )
