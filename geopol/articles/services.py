"""Writes that touch several models: importing, rendering, revisions, editorial transitions."""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction

from geopol.articles.events import content_changed
from geopol.articles.importers import ArticleData, InputError
from geopol.articles.models import (
    Article,
    ArticleCountry,
    Author,
    Figure,
    Revision,
    Status,
    Topic,
)
from geopol.articles.pagecache import pages_changed
from geopol.articles.rendering import (
    FigureView,
    first_paragraph_of_text,
    plain_text,
    render_body_and_text,
)
from geopol.articles.search import search_documents
from geopol.core.text import count_words, make_slug, reading_minutes
from geopol.geo.models import Country
from geopol.search.backends import get_backend


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


SEARCHABLE = (Status.PUBLISHED, Status.SCHEDULED)


def data_hash(data: ArticleData) -> str:
    """A fingerprint of everything an import sets, to tell 'updated' from 'unchanged'."""
    payload = asdict(data)
    payload.pop("line", None)
    return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()


def unique_slug(wanted: str, exclude_pk: int | None = None) -> str:
    others = Article.objects.all() if exclude_pk is None else Article.objects.exclude(pk=exclude_pk)
    base = make_slug(wanted)
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        slug = f"{base[:90]}-{n}"
        n += 1
    return slug


def derive(article: Article, figures: list[FigureView]) -> str:
    """Set the derived fields (HTML, word count, reading time, summary); return the plain text.

    Pure: nothing is saved.
    """
    article.body_html, text = render_body_and_text(article.body, figures)
    article.word_count = count_words(text)
    article.reading_minutes = reading_minutes(article.word_count, settings.GEOPOL_READING_WPM)
    article.summary = article.teaser.strip() or first_paragraph_of_text(text)
    article._plain_text = text  # type: ignore[attr-defined]  # reused by the search index
    return text


def render_article(article: Article) -> None:
    """Recompute the derived fields from the stored body and figures, save and reindex."""
    figures = [
        FigureView(f.key, f.kind, f.caption, f.src, f.alt, f.credit) for f in article.figures.all()
    ]
    derive(article, figures)
    Article.objects.filter(pk=article.pk).update(
        body_html=article.body_html,
        word_count=article.word_count,
        reading_minutes=article.reading_minutes,
        summary=article.summary,
    )
    content_changed.send(sender=Article, article=article)
    sync_search_index([article])  # after the receivers: they add facets (actors, places)
    pages_changed()  # the update above and the receivers' bulk writes send no signal


def sync_search_index(articles: Iterable[Article], new: bool = False) -> None:
    """Index what readers may find; drop drafts, articles in review and retractions.
    `new`: these articles were just created, so there is nothing to replace."""
    backend = get_backend()
    keep: list[Article] = []
    drop: list[Article] = []
    for article in articles:
        (keep if article.status in SEARCHABLE else drop).append(article)
    if keep:
        texts = {a.pk: getattr(a, "_plain_text", None) or plain_text(a.body) for a in keep}
        backend.index(search_documents(keep, texts), new=new)
    if drop and not new:
        backend.remove([a.pk for a in drop])


def record_revision(
    article: Article, source: str, editor: Any = None, note: str = "", first: bool = False
) -> Revision:
    last = (
        0
        if first
        else (article.revisions.order_by("-number").values_list("number", flat=True).first() or 0)
    )
    return Revision.objects.create(
        article=article,
        number=last + 1,
        editor=editor if getattr(editor, "pk", None) else None,
        source=source,
        note=note,
        title=article.title,
        teaser=article.teaser,
        body=article.body,
        status=article.status,
        access=article.access,
        published_at=article.published_at,
    )


@transaction.atomic
def restore_revision(revision: Revision, editor: Any = None) -> Article:
    """Put a revision's text back; the restore is itself recorded as a new revision."""
    article = revision.article
    article.title = revision.title
    article.teaser = revision.teaser
    article.body = revision.body
    article.access = revision.access
    article.save()
    render_article(article)
    record_revision(article, source="admin", editor=editor, note=f"restored r{revision.number}")
    return article


def _named(
    model: type[Author] | type[Topic], names: list[str], seen: dict[Any, Any] | None = None
) -> list[Any]:
    """The authors or topics with these names, created when new. `seen` remembers them
    across the articles of one file."""
    objects = []
    seen = {} if seen is None else seen
    for name in names:
        found = seen.get((model, name.casefold()))
        if found is not None:
            objects.append(found)
            continue
        found = model.objects.filter(name__iexact=name).first()
        if found is None:
            slug, n = make_slug(name), 2
            while model.objects.filter(slug=slug).exists():
                slug, n = f"{make_slug(name)}-{n}", n + 1
            found = model.objects.create(name=name, slug=slug)
        seen[(model, name.casefold())] = found
        objects.append(found)
    return objects


def set_countries(article: Article, codes: list[str], created: bool = False) -> None:
    """The countries an editor or the source file gives, in order; the first is primary."""
    if not created:
        ArticleCountry.objects.filter(article=article).delete()
    seen = list(dict.fromkeys(codes))
    ArticleCountry.objects.bulk_create(
        ArticleCountry(article=article, country_id=code, position=i, primary=i == 0, by_editor=True)
        for i, code in enumerate(seen)
    )
    pages_changed()


def set_machine_countries(
    article: Article,
    countries: list[tuple[str, bool]],
    known: Iterable[str] | None = None,
    created: bool = False,
) -> None:
    """Tags found by the geoparser, (code, primary) best first. The editor's tags stay first
    and are never removed; `countries` should already leave out what an editor removed."""
    given = getattr(article, "_editor_codes", None)
    if created and given is not None:
        editor_codes, start = set(given), len(given)
    else:
        kept = list(
            ArticleCountry.objects.filter(article=article, by_editor=True).order_by("position")
        )
        ArticleCountry.objects.filter(article=article, by_editor=False).delete()
        editor_codes, start = {link.country_id for link in kept}, len(kept)
    known = set(known_country_codes() if known is None else known)
    ArticleCountry.objects.bulk_create(
        ArticleCountry(
            article=article,
            country_id=code,
            position=start + i,
            primary=primary,
            by_editor=False,
        )
        for i, (code, primary) in enumerate(
            (c, p) for c, p in countries if c not in editor_codes and c in known
        )
    )
    pages_changed()


@functools.cache
def known_country_codes() -> frozenset[str]:
    """ISO 3166-1 codes in the Country table (filled by a migration, never edited)."""
    return frozenset(Country.objects.values_list("code", flat=True))


def check_countries(codes: list[str]) -> list[str]:
    """The codes that are not ISO 3166-1 alpha-2 countries we know."""
    if not codes:
        return []
    known = known_country_codes()
    return [c for c in codes if c not in known]


@transaction.atomic
def import_article(
    data: ArticleData, source: str = "import", seen: dict[Any, Any] | None = None
) -> tuple[Article, Outcome]:
    """Create or update the article `data` describes; the same input twice changes nothing."""
    unknown = check_countries(data.countries)
    if unknown:
        raise InputError(
            f"field 'countries': {', '.join(unknown)} not ISO 3166-1 alpha-2 "
            "(use codes such as ML, FR, US)",
            line=data.line,
        )
    fingerprint = data_hash(data)
    article = Article.objects.filter(source_key=data.source_key).first()
    if article is not None and article.content_hash == fingerprint:
        return article, Outcome.UNCHANGED
    outcome = Outcome.CREATED if article is None else Outcome.UPDATED
    if article is None:
        article = Article(source_key=data.source_key)
    if data.slug or outcome == Outcome.CREATED:
        article.slug = unique_slug(data.slug or data.title, exclude_pk=article.pk)
    # otherwise the slug stays: a corrected headline must not break links to the article
    article.source_url = data.source_url
    article.content_hash = fingerprint
    article.title = data.title
    article.type = data.type
    article.teaser = data.teaser
    article.body = data.body
    article.status = data.status
    article.access = data.access
    article.published_at = data.published
    derive(
        article,
        [FigureView(f.key, f.kind, f.caption, f.src, f.alt, f.credit) for f in data.figures],
    )
    article._index_later = True  # type: ignore[attr-defined]  # once tags are in place
    article.save()
    if outcome == Outcome.UPDATED:
        article.authors.set(_named(Author, data.authors, seen))
        article.topics.set(_named(Topic, data.topics, seen))
    else:  # a new article has none to compare with
        if data.authors:
            article.authors.add(*_named(Author, data.authors, seen))
        if data.topics:
            article.topics.add(*_named(Topic, data.topics, seen))
    if outcome == Outcome.UPDATED or data.countries:
        set_countries(article, data.countries, created=outcome == Outcome.CREATED)
    # what the geoparser would otherwise read back from the database
    article._editor_codes = list(dict.fromkeys(data.countries))  # type: ignore[attr-defined]
    article._captions = " ".join(f.caption for f in data.figures)  # type: ignore[attr-defined]
    if outcome == Outcome.UPDATED:
        article.figures.all().delete()
    Figure.objects.bulk_create(
        Figure(
            article=article,
            key=f.key,
            kind=f.kind,
            caption=f.caption,
            src=f.src,
            alt=f.alt,
            credit=f.credit,
            layers=f.layers,
            position=i,
        )
        for i, f in enumerate(data.figures)
    )
    content_changed.send(sender=Article, article=article, created=outcome == Outcome.CREATED)
    sync_search_index([article], new=outcome == Outcome.CREATED)
    record_revision(
        article,
        source=source,
        note=f"{outcome.value} by {source}",
        first=outcome == Outcome.CREATED,
    )
    return article, outcome


@transaction.atomic
def import_articles(
    items: list[ArticleData], source: str = "import"
) -> list[tuple[Article, Outcome]]:
    """All articles of one file, or none of them."""
    seen: dict[Any, Any] = {}
    return [import_article(item, source=source, seen=seen) for item in items]


def remove_from_search(article_ids: Iterable[int]) -> None:
    get_backend().remove(list(article_ids))
