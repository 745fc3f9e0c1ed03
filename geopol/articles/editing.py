"""Writes an editor makes one piece at a time (the editor's desk): the text and record of an
article, its status, its figures. Each renders what derives from the text, records a revision
and ends in one change down the change path (changes.collect), like the import services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from geopol.articles import changes
from geopol.articles.models import Article, Author, Figure, Topic
from geopol.articles.rendering import FIGURE_RE
from geopol.articles.services import (
    _first_revision,
    _named,
    check_countries,
    record_revision,
    render_article,
    set_countries,
    unique_slug,
)
from geopol.core.text import make_slug


@dataclass
class Draft:
    """What an editor writes of an article (the editor's desk): its text and its record.
    `authors` and `topics` are names (created when new); `countries` ISO codes, the first
    primary; None leaves that part as it is."""

    title: str
    body: str
    teaser: str = ""
    type: str = "analysis"
    access: str = "public"
    published_at: Any = None  # a datetime; None keeps the article's own
    authors: list[str] | None = None
    topics: list[str] | None = None
    countries: list[str] | None = None


AUTOSAVE = "autosave"  # the revision source of a draft saved by itself while it is written


@transaction.atomic
def _apply_draft(article: Article, draft: Draft, created: bool) -> None:
    """What the editor wrote, onto the article and its authors, topics and countries."""
    article.title = draft.title
    article.body = draft.body
    article.teaser = draft.teaser
    article.type = draft.type
    article.access = draft.access
    if draft.published_at is not None:
        article.published_at = draft.published_at
    article.save()
    if draft.authors is not None:
        article.authors.set(_named(Author, draft.authors))
    if draft.topics is not None:
        article.topics.set(_named(Topic, draft.topics))
    if draft.countries is not None:
        current = list(
            article.country_links.filter(by_editor=True)
            .order_by("position")
            .values_list("country_id", flat=True)
        )
        if current != list(dict.fromkeys(draft.countries)):
            set_countries(article, draft.countries, created=created)


def _record_sitting(article: Article, created: bool, source: str, editor: Any, note: str) -> None:
    """A new revision, or, for an autosave on top of the same editor's autosave, that one
    brought up to date."""
    last = None if created else article.revisions.order_by("-number").first()
    editor_pk = getattr(editor, "pk", None)
    same_sitting = last is not None and last.source == AUTOSAVE and last.editor_id == editor_pk
    if source == AUTOSAVE and same_sitting and last is not None:
        fresh = _first_revision(article, source, note or "autosaved", editor)
        fields = ["title", "teaser", "body", "status", "access", "published_at"]
        for name in fields:
            setattr(last, name, getattr(fresh, name))
        last.save(update_fields=fields)
        return
    record_revision(
        article,
        source=source,
        editor=editor,
        note=note or ("created" if created else "edited"),
        first=created,
    )


def write_article(
    article: Article | None,
    draft: Draft,
    editor: Any = None,
    source: str = "desk",
    note: str = "",
) -> Article:
    """Create (article None) or update an article from what an editor wrote, render it and
    record a revision; one change down the change path. With source AUTOSAVE, the editor's
    own autosave revision on top of the history is brought up to date instead of a new one
    being added, so writing leaves one revision per sitting, not one per pause."""
    unknown = check_countries(draft.countries or [])
    if unknown:
        raise ValueError(
            f"countries: {', '.join(unknown)} not ISO 3166-1 alpha-2 (use codes such as ML, FR)"
        )
    created = article is None
    with changes.collect(source):
        if article is None:
            article = Article(source_key=f"desk:{uuid.uuid4().hex}")
            article.slug = unique_slug(draft.title or "untitled")
        _apply_draft(article, draft, created)
        render_article(article)
        _record_sitting(article, created, source, editor, note)
    return article


@transaction.atomic
def set_status(
    article: Article,
    status: str,
    published_at: Any = None,
    editor: Any = None,
    source: str = "desk",
    note: str = "",
) -> Article:
    """Move an article to `status` (publish, schedule, retract, send back...) and record the
    revision; search, pages and alerts follow down the change path. Who may do which move is
    the caller's rule (the desk's workflow)."""
    with changes.collect(source):
        article.status = status
        if published_at is not None:
            article.published_at = published_at
        article.save()  # the row's receiver records it (Aspect.RECORD)
        record_revision(article, source=source, editor=editor, note=note or status)
    return article


def placed(body: str, key: str) -> bool:
    """Whether a paragraph of `body` places the figure `key` ({{figure KEY}})."""
    return key in FIGURE_RE.findall(body)


class FigureError(ValueError):
    """A figure that cannot be saved; the message names the field and what to write."""


def figure_problems(kind: str, key: str, caption: str, layers: Any) -> list[str]:
    """What is wrong with a figure an editor wrote (empty when it can be saved). Pure."""
    from geopol.geo.maplayers import validate_layers

    problems = []
    if kind not in ("map", "image"):
        problems.append("kind: map or image")
    if not key or make_slug(key) != key:
        problems.append(f"key: {key!r} must be a slug (lower-case letters, digits, hyphens)")
    if not caption.strip():
        problems.append("caption: give the figure a caption")
    if layers is not None:
        if kind != "map":
            problems.append("layers: only map figures take GeoJSON layers")
        else:
            problems += validate_layers(layers)
    return problems


@transaction.atomic
def save_figure(
    article: Article,
    key: str,
    kind: str,
    caption: str,
    src: str = "",
    alt: str = "",
    credit: str = "",
    layers: Any = None,
    editor: Any = None,
    source: str = "desk",
    place: bool = False,
) -> Figure:
    """Add or replace the figure `key` of an article (placed in the body by {{figure KEY}}),
    render the body again and record a revision. `place`: also end the body with the
    figure's {{figure KEY}} paragraph when the body does not place it yet."""
    problems = figure_problems(kind, key, caption, layers)
    if kind == "image" and not src.strip():
        problems.append("src: give the image's URL or path")
    if problems:
        raise FigureError("; ".join(problems[:5]))
    with changes.collect(source):
        figure = article.figures.filter(key=key).first() or Figure(
            article=article, key=key, position=article.figures.count()
        )
        figure.kind, figure.caption, figure.src = kind, caption.strip(), src.strip()
        figure.alt, figure.credit, figure.layers = alt.strip(), credit.strip(), layers
        figure.save()
        if place and not placed(article.body, key):
            article.body = article.body.rstrip() + "\n\n{{figure " + key + "}}\n"
            article.save(update_fields=["body"])
        render_article(article)
        record_revision(article, source=source, editor=editor, note=f"figure {key}")
    return figure


@transaction.atomic
def delete_figure(article: Article, key: str, editor: Any = None, source: str = "desk") -> None:
    with changes.collect(source):
        article.figures.filter(key=key).delete()
        render_article(article)
        record_revision(article, source=source, editor=editor, note=f"figure {key} removed")
