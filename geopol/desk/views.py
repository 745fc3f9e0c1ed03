"""The editor's desk at /desk/: the list, the editor with its live preview, the review page.
Every write goes through the desk's, articles' or forecasts' services."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from geopol.articles import viewas
from geopol.articles.editing import Draft
from geopol.articles.models import Article, ArticleType, Status
from geopol.articles.rendering import FigureView
from geopol.articles.services import derive
from geopol.articles.views import preview_fragment
from geopol.desk import reading, services, workflow
from geopol.desk.forms import MoveForm, PieceForm, StartForm
from geopol.desk.models import Comment, Notice, Piece, Transition

RECENT = 12  # pieces per section of the list


def desk_user(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and an analyst or editor (a view that needs which asks
    `services.role_of(request.user)`: Django caches the permissions on the user)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.role_of(request.user):
            raise PermissionDenied("The desk is for analysts and editors (ask an editor).")
        return view(request, *args, **kwargs)

    return wrapped


def _is_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _stage_label(stage: str) -> str:
    return workflow.LABELS[stage]


def _rows(queryset: Any, now: Any) -> list[dict[str, Any]]:
    rows = []
    for article in queryset:
        piece = getattr(article, "desk_piece", None)
        approved = piece is not None and piece.approved_at is not None
        stage = workflow.stage_of(article.status, article.published_at, approved, now)
        rows.append(
            {
                "article": article,
                "piece": piece,
                "stage": stage,
                "stage_label": _stage_label(stage),
                "authors": [a.name for a in article.authors.all()],
            }
        )
    return rows


def _listed(request: HttpRequest, q: str, kind: str, mine: bool):
    """The articles the list's filters let through, with what its rows show."""
    base = (
        Article.objects.select_related("desk_piece__owner", "desk_piece__reviewer")
        .prefetch_related("authors")
        .defer("body", "body_html")
    )
    if q:
        base = base.filter(Q(title__icontains=q) | Q(authors__name__icontains=q)).distinct()
    if kind in ArticleType.values:
        base = base.filter(type=kind)
    if mine:
        base = base.filter(Q(desk_piece__owner=request.user) | Q(desk_piece__reviewer=request.user))
    return base


def _stage_queries(request: HttpRequest, base, q: str, stage: str, mine: bool, now) -> dict:
    """Each stage of the list: its heading, its articles and their order."""
    due = Q(status=Status.SCHEDULED, published_at__lte=now)
    return {
        "draft": (
            "My drafts" if not mine and not q else "Drafts",
            base.filter(status=Status.DRAFT).filter(
                Q() if (q or stage == "draft") else Q(desk_piece__owner=request.user)
            ),
            "-updated_at",
        ),
        "review": ("In review", base.filter(status=Status.REVIEW), "-updated_at"),
        "scheduled": (
            "Scheduled",
            base.filter(status=Status.SCHEDULED, published_at__gt=now),
            "published_at",
        ),
        "published": (
            "Recently published",
            base.filter(Q(status=Status.PUBLISHED) | due),
            "-published_at",
        ),
        "retracted": ("Retracted", base.filter(status=Status.RETRACTED), "-updated_at"),
    }


@desk_user
def desk_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "")
    stage = request.GET.get("stage", "")
    mine = request.GET.get("mine") == "1"
    base = _listed(request, q, kind, mine)
    queries = _stage_queries(request, base, q, stage, mine, now)
    sections = []
    for key, (heading, queryset, order) in queries.items():
        if (stage and key != stage) or (not stage and key == "retracted"):
            continue
        limit = 50 if stage else RECENT
        rows = _rows(queryset.order_by(order, "-id")[:limit], now)
        sections.append({"key": key, "heading": heading, "rows": rows})
    notices = list(
        Notice.objects.filter(user=request.user, read_at=None).select_related("article")[:10]
    )
    return render(
        request,
        "desk/list.html",
        {
            "sections": sections,
            "notices": notices,
            "role": services.role_of(request.user),
            "filters": {"q": q, "type": kind, "stage": stage, "mine": mine},
            "types": ArticleType.choices,
            "stages": [(k, v[0]) for k, v in queries.items()],
            "start_form": StartForm(),
        },
    )


@desk_user
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    Notice.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    return redirect("desk:list")


@desk_user
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = request.user.get_full_name() or request.user.get_username()
        article = services.start_piece(
            request.user,
            Draft(
                title=form.cleaned_data["title"],
                body="",
                type=form.cleaned_data["type"],
                authors=[name],
            ),
        )
        return redirect("desk:edit", pk=article.pk)
    return render(request, "desk/start.html", {"form": form})


def _with_draft(article: Article, form: PieceForm) -> Article:
    """`article` with the form's text and record applied in memory and its derived fields
    rendered (nothing saved), for a preview of what is being written."""
    draft = form.draft()
    article.title = draft.title
    article.body = draft.body
    article.teaser = draft.teaser
    article.type = draft.type
    article.access = draft.access
    if draft.published_at is not None:
        article.published_at = draft.published_at
    derive(
        article,
        [
            FigureView(f.key, f.kind, f.caption, f.src, f.alt, f.credit)
            for f in article.figures.all()
        ],
    )
    return article


def _context(request: HttpRequest, article: Article, piece: Piece, form: PieceForm) -> dict:
    role = services.role_of(request.user)
    owner = services.is_owner(request.user, piece)
    stage = services.stage(article, piece)
    kind = viewas.chosen(request)
    return {
        "article": article,
        "piece": piece,
        "form": form,
        "role": role,
        "stage": stage,
        "stage_label": _stage_label(stage),
        "editable": workflow.can_edit(stage, role, owner),
        "autosaves": workflow.autosaves(stage),
        "moves": workflow.moves_for(stage, role, owner),
        "move_form": MoveForm(),
        "preview": preview_fragment(request, article, kind),
        "view_as": viewas.links(request, kind),
        "view_as_kind": kind,
        "reading": reading.panel(article),
        "judgments": reading.judgments_panel(article),
        "comments": Comment.objects.filter(article=article).select_related("author"),
        "transitions": Transition.objects.filter(article=article).select_related("by")[:20],
        "editors": services.editors(),
    }


@desk_user
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    piece = services.piece_for(article)
    if request.method == "POST":
        form = PieceForm(request.POST)
        if form.is_valid():
            if "preview" in request.POST:  # the preview without JavaScript: nothing saved
                _with_draft(article, form)
                return render(request, "desk/edit.html", _context(request, article, piece, form))
            try:
                services.save_piece(request.user, article, form.draft())
            except (services.DeskError, ValueError) as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "Saved.")
                return redirect(request.get_full_path())
    else:
        form = PieceForm(initial=PieceForm.initial_for(article))
    return render(request, "desk/edit.html", _context(request, article, piece, form))


@desk_user
@require_POST
def live_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview pane for the text as typed (not saved), as `?as=` reads it."""
    article = get_object_or_404(Article, pk=pk)
    form = PieceForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain")
    _with_draft(article, form)
    response = HttpResponse(preview_fragment(request, article, viewas.chosen(request)))
    response["X-Words"] = str(article.word_count)
    response["X-Reading"] = article.reading_label
    return response


@desk_user
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    article = get_object_or_404(Article, pk=pk)
    form = PieceForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return JsonResponse({"error": errors}, status=400)
    try:
        saved = services.save_piece(request.user, article, form.draft(), autosave=True)
    except (services.DeskError, ValueError) as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse(
        {
            "saved": timezone.now().strftime("%H:%M:%S UTC"),
            "words": saved.word_count,
            "reading": saved.reading_label,
        }
    )


@desk_user
@require_POST
def make_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = MoveForm(request.POST)
    back = request.POST.get("next") or reverse("desk:review", args=[pk])
    if not back.startswith("/desk/"):
        back = reverse("desk:review", args=[pk])
    if not form.is_valid():
        messages.error(request, "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect(back)
    try:
        services.move(
            request.user, article, action, form.cleaned_data.get("reason") or "", form.when_utc()
        )
    except services.DeskError as error:
        messages.error(request, str(error))
    else:
        article.refresh_from_db()
        messages.success(
            request,
            f"{workflow.MOVES[action].label}: the piece is now "
            f"{_stage_label(services.stage(article)).lower()}.",
        )
    return redirect(back)


@desk_user
@require_POST
def set_reviewer(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    chosen = request.POST.get("reviewer")
    reviewer = get_user_model().objects.filter(pk=chosen).first() if chosen else None
    try:
        services.assign_reviewer(request.user, article, reviewer)
    except services.DeskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Reviewer set." if reviewer else "Reviewer cleared.")
    return redirect(request.POST.get("next") or reverse("desk:review", args=[pk]))


@desk_user
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    try:
        services.add_comment(request.user, article, request.POST.get("body", ""))
    except services.DeskError as error:
        messages.error(request, str(error))
    return redirect(reverse("desk:review", args=[pk]) + "#comments")


@desk_user
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The piece as the reviewer reads it: the preview at full width, the moves, the comments
    and the record of every move."""
    article = get_object_or_404(Article, pk=pk)
    piece = services.piece_for(article)
    context = _context(request, article, piece, PieceForm(initial=PieceForm.initial_for(article)))
    return render(request, "desk/review.html", context)
