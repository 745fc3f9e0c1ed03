"""Figures on the desk (/desk/ID/figures/): upload an image, build a map figure whose GeoJSON
layers are checked and drawn as they are typed, remove a figure. Saving goes through
articles.editing.save_figure, which also places {{figure KEY}} at the end of the body when
the body does not place it yet."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseNotModified,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from geopol.articles.editing import FigureError, delete_figure, save_figure
from geopol.articles.models import Article, Figure
from geopol.core.text import make_slug
from geopol.desk import figures, services
from geopol.desk.forms import LAYERS_EXAMPLE, ImageFigureForm, MapFigureForm
from geopol.desk.images import ImageProblem, check_size
from geopol.desk.views import desk_user
from geopol.extraction.maps import article_map_spec, cached_svg


def _editable(request: HttpRequest, article: Article) -> bool:
    return services.may_edit(request.user, article)


def _key(article: Article, wanted: str, caption: str, replaces: bool) -> str:
    """The figure's key: the one given (replacing a figure of that key when `replaces`), else
    one made from the caption that no other figure of the piece has."""
    if wanted and replaces:
        return wanted
    base = wanted or make_slug(caption)[:40].strip("-") or "figure"
    taken = set(article.figures.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def map_check(article: Article, caption: str, key: str, text: str) -> dict[str, Any]:
    """The map form as typed: its problems by field and line, and the map drawn from it (the
    piece's places and countries, and the layers' usable features)."""
    checked = figures.check_layers(text)
    problems = figures.form_problems("map", key or "figure", caption) + checked.problems
    spec = article_map_spec(article, layers=checked.layers, title=caption)
    return {"problems": problems, "svg": cached_svg(spec), "layers": checked.layers}


def _page(request: HttpRequest, article: Article, **extra: Any) -> HttpResponse:
    editing = request.GET.get("edit", "")
    existing = article.figures.filter(key=editing, kind="map").first() if editing else None
    map_form = extra.pop("map_form", None)
    if map_form is None:
        initial = {}
        if existing is not None:
            layers = existing.layers
            initial = {
                "caption": existing.caption,
                "key": existing.key,
                "layers": "" if layers is None else _pretty(layers),
            }
        map_form = MapFigureForm(initial=initial)
    check = extra.pop("check", None)
    if check is None:
        data = map_form.initial
        check = map_check(
            article, data.get("caption", ""), data.get("key", ""), data.get("layers", "")
        )
        check["problems"] = []  # nothing typed yet: nothing to fix
    context = {
        "article": article,
        "figures": list(article.figures.all()),
        "editable": _editable(request, article),
        "image_form": extra.pop("image_form", None) or ImageFigureForm(),
        "map_form": map_form,
        "check": check,
        "example": LAYERS_EXAMPLE,
        **extra,
    }
    return render(request, "desk/figures.html", context, status=400 if extra.get("bad") else 200)


def _pretty(layers: Any) -> str:
    return json.dumps(layers, indent=1, ensure_ascii=False)


@desk_user
def figures_page(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    return _page(request, article)


@desk_user
@require_POST
def upload_image(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if not _editable(request, article):
        messages.error(request, "You may not change this piece now.")
        return redirect("desk:figures", pk=pk)
    form = ImageFigureForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, article, image_form=form, bad=True)
    data = form.cleaned_data
    upload = data["image"]
    try:
        check_size(upload.size)  # before reading it
        src, info = figures.store_image(upload.read())
        key = _key(article, data["key"], data["caption"], replaces=bool(data["key"]))
        save_figure(
            article,
            key,
            "image",
            data["caption"],
            src=src,
            alt=data["alt"],
            credit=data["credit"],
            editor=request.user,
            place=True,
        )
    except (ImageProblem, FigureError) as error:
        form.add_error("image" if isinstance(error, ImageProblem) else None, str(error))
        return _page(request, article, image_form=form, bad=True)
    messages.success(
        request,
        f"Image {key} ({info.width} x {info.height} px) saved and placed in the text as "
        f"{{{{figure {key}}}}}.",
    )
    return redirect("desk:figures", pk=pk)


@desk_user
@require_POST
def save_map(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the map figure; with "check" (the button without JavaScript), only show its
    problems and its map."""
    article = get_object_or_404(Article, pk=pk)
    form = MapFigureForm(request.POST)
    if not form.is_valid():
        return _page(request, article, map_form=form, bad=True)
    data = form.cleaned_data
    check = map_check(article, data["caption"], data["key"], data["layers"])
    if "check" in request.POST or check["problems"] or not _editable(request, article):
        if not _editable(request, article) and "check" not in request.POST:
            messages.error(request, "You may not change this piece now.")
        return _page(request, article, map_form=form, check=check, bad=bool(check["problems"]))
    key = _key(article, data["key"], data["caption"], replaces=bool(data["key"]))
    save_figure(
        article,
        key,
        "map",
        data["caption"],
        layers=check["layers"],
        editor=request.user,
        place=True,
    )
    messages.success(request, f"Map {key} saved and placed in the text as {{{{figure {key}}}}}.")
    return redirect(reverse("desk:figures", args=[pk]) + f"?edit={key}")


@desk_user
@require_POST
def check_map(request: HttpRequest, pk: int) -> JsonResponse:
    """The live check of the map form: {"problems": [{field, line, message}], "svg"}."""
    article = get_object_or_404(Article, pk=pk)
    post = request.POST
    check = map_check(
        article,
        post.get("caption", ""),
        post.get("key", ""),
        post.get("layers", "").replace("\r\n", "\n"),
    )
    problems = [
        {"field": p.field, "line": p.line, "message": p.message, "shown": p.shown}
        for p in check["problems"]
    ]
    return JsonResponse({"problems": problems, "svg": check["svg"]})


@desk_user
@require_POST
def remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    figure = get_object_or_404(Figure, article=article, key=key)
    if not _editable(request, article):
        messages.error(request, "You may not change this piece now.")
    else:
        delete_figure(article, figure.key, editor=request.user)
        messages.success(
            request, f"Figure {key} removed; delete its {{{{figure {key}}}}} line from the text."
        )
    return redirect("desk:figures", pk=pk)


def media_file(request: HttpRequest, name: str) -> HttpResponse:
    """A stored figure image, as its own type (read from its content at upload), to those who
    may read a piece that shows it (figures.image_answer); cacheable by anyone only when a
    public piece shows it."""
    path = figures.media_path(name)
    answer = figures.image_answer(request.user, name, bool(services.role_of(request.user)))
    if path is None or answer == figures.MISSING:
        response: HttpResponse = HttpResponseNotFound("No such image.", content_type="text/plain")
    elif answer == figures.SIGN_IN:
        response = redirect_to_login(request.get_full_path())
    elif answer == figures.FORBIDDEN:
        response = HttpResponseForbidden(
            "This image belongs to a members-only analysis.", content_type="text/plain"
        )
    elif answer == figures.PRIVATE and request.headers.get("If-None-Match") == f'"{name}"':
        response = HttpResponseNotModified()  # checked again, and still theirs to see
    else:
        response = FileResponse(path.open("rb"), content_type=figures.CONTENT_TYPES[path.suffix])
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'"
    if answer == figures.PUBLIC and path is not None:
        response["Cache-Control"] = "public, max-age=31536000, immutable"  # named by its content
    else:
        # never kept by a shared cache; the reader's browser asks again each time (a 304
        # when the image is still theirs to see), so a lapsed membership closes it
        response["Cache-Control"] = "private, no-cache"
        if answer == figures.PRIVATE and path is not None:
            response["ETag"] = f'"{name}"'
        patch_vary_headers(response, ["Cookie"])
    return response
