"""Writes that touch several models: importing, rendering, revisions, editorial transitions."""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from geopol.articles import changes
from geopol.articles.changes import ArticleChange, Aspect
from geopol.articles.importers import ArticleData, InputError
from geopol.articles.importers.judgments import band_problems
from geopol.articles.models import (
    LISTED,
    Article,
    ArticleCountry,
    Author,
    Figure,
    Revision,
    Topic,
)
from geopol.articles.rendering import (
    FigureView,
    first_paragraph_of_text,
    plain_text,
    render_body_and_text,
)
from geopol.articles.search import search_documents
from geopol.core.db import insert_rows
from geopol.core.text import count_words, make_slug, reading_minutes
from geopol.geo.models import Country
from geopol.search.backends import SearchBackend, get_backend


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def data_hash(data: ArticleData) -> str:
    """A fingerprint of everything an import sets, to tell 'updated' from 'unchanged'."""
    payload = asdict(data)
    payload.pop("line", None)
    payload.pop("warnings", None)  # how the file was written, not what it says
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
    return text


def render_article(article: Article) -> None:
    """Recompute the derived fields from the stored body and figures and save them; the
    change (Aspect.TEXT) goes down the change path."""
    figures = [
        FigureView(f.key, f.kind, f.caption, f.src, f.alt, f.credit) for f in article.figures.all()
    ]
    text = derive(article, figures)
    Article.objects.filter(pk=article.pk).update(
        body_html=article.body_html,
        word_count=article.word_count,
        reading_minutes=article.reading_minutes,
        summary=article.summary,
    )
    changes.record(
        article, Aspect.TEXT, plain_text=text, captions=" ".join(f.caption for f in figures)
    )


def sync_search_index(
    articles: Iterable[Article],
    new: bool = False,
    texts: dict[int, str] | None = None,
    backend: SearchBackend | None = None,
) -> None:
    """Index what readers may find; drop drafts, articles in review and retractions.
    `new`: these articles were just created, so there is nothing to replace. `texts`: the
    plain text of articles by id, where known (else it is rendered from the body).
    `backend`: where to write (by default the live index; a rebuild writes to its own)."""
    backend = backend or get_backend()
    keep: list[Article] = []
    drop: list[Article] = []
    for article in articles:
        (keep if article.status in LISTED else drop).append(article)
    if keep:
        known = texts or {}
        bodies = {a.pk: known.get(a.pk) or plain_text(a.body) for a in keep}
        backend.index(search_documents(keep, bodies), new=new)
    if drop and not new:
        backend.remove([a.pk for a in drop])


def index_change(change: ArticleChange) -> None:
    """The change path's indexing stage: what readers may find goes in, the rest and the
    removed go out. An article not yet rendered (no summary) waits for render_article."""
    removed = [item.pk for item in change.items if item.removed]
    if removed:
        remove_from_search(removed)
    # a piece that fell due is in the index already (it holds what is LISTED, by time or not)
    indexed = [item for item in change.items if not item.removed and item.aspects != {Aspect.DUE}]
    pairs = [(item, a) for item, a in change.loaded(indexed) if a.summary]
    texts = {item.pk: item.plain_text for item, _ in pairs if item.plain_text is not None}
    for new in (True, False):
        batch = [a for item, a in pairs if item.created == new]
        if batch:
            sync_search_index(batch, new=new, texts=texts)


def record_revision(
    article: Article, source: str, editor: Any = None, note: str = "", first: bool = False
) -> Revision:
    last = (
        0
        if first
        else (article.revisions.order_by("-number").values_list("number", flat=True).first() or 0)
    )
    revision = _first_revision(article, source, note, editor)
    revision.number = last + 1
    revision.save(force_insert=True)
    return revision


def _first_revision(article: Article, source: str, note: str, editor: Any = None) -> Revision:
    """The revision recording the article as it is now, numbered 1; not saved."""
    return Revision(
        article=article,
        number=1,
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
@changes.collect("restore")
def restore_revision(revision: Revision, editor: Any = None, source: str = "admin") -> Article:
    """Put a revision's text back; the restore is itself recorded as a new revision."""
    article = revision.article
    article.title = revision.title
    article.teaser = revision.teaser
    article.body = revision.body
    article.access = revision.access
    article.save()
    render_article(article)
    record_revision(article, source=source, editor=editor, note=f"restored r{revision.number}")
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
    changes.record(article, Aspect.TAGS, editor_countries=seen)


def set_machine_countries(
    article: Article,
    countries: list[tuple[str, bool]],
    known: Iterable[str] | None = None,
    created: bool = False,
    given: Sequence[str] | None = None,
) -> None:
    """Tags found by the geoparser, (code, primary) best first. The editor's tags stay first
    and are never removed; `countries` should already leave out what an editor removed.
    `given`: for a new article, the countries its editor gave (else they are read back)."""
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
    changes.record(article, Aspect.TAGS)


def add_machine_countries(
    tags: Iterable[tuple[int, Sequence[str], list[tuple[str, bool]]]],
    known: Iterable[str] | None = None,
) -> None:
    """set_machine_countries for many articles just imported, in one statement: (article id,
    the countries its editor gave, the geoparser's (code, primary)) each."""
    known = set(known_country_codes() if known is None else known)
    rows = []
    for article_id, given, countries in tags:
        fresh = [(c, p) for c, p in countries if c not in given and c in known]
        rows += [
            (article_id, code, len(given) + i, primary, False)
            for i, (code, primary) in enumerate(fresh)
        ]
    insert_rows(
        ArticleCountry, ("article_id", "country_id", "position", "primary", "by_editor"), rows
    )


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


ImportHook = Callable[[list[tuple[Article, ArticleData]]], None]
_import_hooks: list[ImportHook] = []


def register_import_hook(hook: ImportHook) -> None:
    """Run `hook(items)` for what an import wrote: (article, ArticleData) for each article it
    created or updated, in input order, once per file, in the import's transaction once the
    articles' own rows are written. For the parts of an import file that belong to apps
    above articles (key judgments: the forecasts app); call it from AppConfig.ready."""
    if hook not in _import_hooks:
        _import_hooks.append(hook)


def run_import_hooks(items: list[tuple[Article, ArticleData]]) -> None:
    if items:
        for hook in _import_hooks:
            hook(items)


@dataclass
class ImportBatch:
    """What the articles of one file share while they are imported: the articles and slugs
    already there (looked up once), the authors and topics already found, and the rows of new
    articles left for the end of the file (one statement each instead of one per article)."""

    existing: dict[str, Article] = field(default_factory=dict)  # source_key -> article
    taken_slugs: set[str] = field(default_factory=set)
    seen: dict[Any, Any] = field(default_factory=dict)
    imported: list[tuple[Article, ArticleData]] = field(default_factory=list)  # for hooks
    revisions: list[Revision] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    countries: list[tuple[int, str, int, bool, bool]] = field(default_factory=list)
    authors: dict[tuple[int, int], None] = field(default_factory=dict)  # ordered set
    topics: dict[tuple[int, int], None] = field(default_factory=dict)

    @classmethod
    def start(cls, items: list[ArticleData]) -> ImportBatch:
        batch = cls()
        keys = list(dict.fromkeys(item.source_key for item in items))
        slugs = list({make_slug(item.slug or item.title) for item in items})
        for start in range(0, max(len(keys), len(slugs)), 500):
            batch.existing.update(
                (a.source_key, a)
                for a in Article.objects.filter(source_key__in=keys[start : start + 500])
            )
            batch.taken_slugs.update(
                Article.objects.filter(slug__in=slugs[start : start + 500]).values_list(
                    "slug", flat=True
                )
            )
        return batch

    def finish(self) -> None:
        insert_rows(
            ArticleCountry,
            ("article_id", "country_id", "position", "primary", "by_editor"),
            self.countries,
        )
        insert_rows(Article.authors.through, ("article_id", "author_id"), list(self.authors))
        insert_rows(Article.topics.through, ("article_id", "topic_id"), list(self.topics))
        Figure.objects.bulk_create(self.figures)
        Revision.objects.bulk_create(self.revisions)
        run_import_hooks(self.imported)


@transaction.atomic
def import_article(
    data: ArticleData, source: str = "import", seen: dict[Any, Any] | None = None
) -> tuple[Article, Outcome]:
    """Create or update the article `data` describes; the same input twice changes nothing."""
    with changes.collect(source):
        return _import_article(data, source, seen, None)


def _import_article(
    data: ArticleData, source: str, seen: dict[Any, Any] | None, batch: ImportBatch | None
) -> tuple[Article, Outcome]:
    """import_article, inside a transaction and a change being collected. With a `batch`, a
    new article's other rows and first revision wait for ImportBatch.finish."""
    _check_import_data(data)
    fingerprint = data_hash(data)
    if batch is None:
        article = Article.objects.filter(source_key=data.source_key).first()
    else:
        article = batch.existing.get(data.source_key)
    if article is not None and article.content_hash == fingerprint:
        return article, Outcome.UNCHANGED
    outcome = Outcome.CREATED if article is None else Outcome.UPDATED
    created = outcome == Outcome.CREATED
    if article is None:
        article = Article(source_key=data.source_key)
    if data.slug or created:
        _assign_import_slug(article, data, batch)
    # otherwise the slug stays: a corrected headline must not break links to the article
    text = _write_imported_fields(article, data, fingerprint)
    editor_codes = list(dict.fromkeys(data.countries))
    # what the geoparser and the index would otherwise read back from the database
    changes.record(
        article,
        Aspect.TEXT,
        created=created,
        plain_text=text,
        captions=" ".join(f.caption for f in data.figures),
        editor_countries=editor_codes,
    )
    if batch is not None:
        batch.existing[data.source_key] = article
        batch.imported.append((article, data))
        if created:
            _defer_new_rows(article, data, batch, source, editor_codes)
            return article, outcome
    _write_imported_rows(article, data, outcome, source, seen)
    if batch is None:
        run_import_hooks([(article, data)])
    return article, outcome


def _check_import_data(data: ArticleData) -> None:
    """What the readers cannot check alone: country codes and the judgments' bands."""
    unknown = check_countries(data.countries)
    if unknown:
        raise InputError(
            f"field 'countries': {', '.join(unknown)} not ISO 3166-1 alpha-2 "
            "(use codes such as ML, FR, US)",
            line=data.line,
        )
    problems = band_problems(data.judgments)
    if problems:
        raise InputError(problems[0], line=data.line)


def _assign_import_slug(article: Article, data: ArticleData, batch: ImportBatch | None) -> None:
    """The slug the file asks for (or made from the title), made unique."""
    wanted = make_slug(data.slug or data.title)
    if batch is not None and article.pk is None and wanted not in batch.taken_slugs:
        article.slug = wanted  # free before the file, and not given since
    else:
        article.slug = unique_slug(data.slug or data.title, exclude_pk=article.pk)
    if batch is not None:
        batch.taken_slugs.add(article.slug)


def _write_imported_fields(article: Article, data: ArticleData, fingerprint: str) -> str:
    """Save the article's own row from `data`, rendered; returns its plain text."""
    article.source_url = data.source_url
    article.content_hash = fingerprint
    article.title = data.title
    article.type = data.type
    article.teaser = data.teaser
    article.body = data.body
    article.status = data.status
    article.access = data.access
    article.published_at = data.published
    text = derive(
        article,
        [FigureView(f.key, f.kind, f.caption, f.src, f.alt, f.credit) for f in data.figures],
    )
    article.save()
    return text


def _write_imported_rows(
    article: Article, data: ArticleData, outcome: Outcome, source: str, seen: dict[Any, Any] | None
) -> None:
    """An article's authors, topics, country tags, figures and revision, one article at a
    time (an updated article's replace the ones it had)."""
    created = outcome == Outcome.CREATED
    if not created:
        article.authors.set(_named(Author, data.authors, seen))
        article.topics.set(_named(Topic, data.topics, seen))
    else:  # a new article has none to compare with
        if data.authors:
            article.authors.add(*_named(Author, data.authors, seen))
        if data.topics:
            article.topics.add(*_named(Topic, data.topics, seen))
    if not created or data.countries:
        set_countries(article, data.countries, created=created)
    if not created:
        article.figures.all().delete()
    Figure.objects.bulk_create(_figures(article, data))
    note = f"{outcome.value} by {source}"
    # (with a batch, this is an update: its earlier revisions decide the number)
    record_revision(article, source=source, note=note, first=created)


def _figures(article: Article, data: ArticleData) -> list[Figure]:
    return [
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
    ]


def _defer_new_rows(
    article: Article, data: ArticleData, batch: ImportBatch, source: str, editor_codes: list[str]
) -> None:
    """A new article's authors, topics, countries, figures and first revision, left for
    ImportBatch.finish: nothing of them exists yet, so there is nothing to compare."""
    for author in _named(Author, data.authors, batch.seen):
        batch.authors[(article.pk, author.pk)] = None
    for topic in _named(Topic, data.topics, batch.seen):
        batch.topics[(article.pk, topic.pk)] = None
    batch.countries += [(article.pk, code, i, i == 0, True) for i, code in enumerate(editor_codes)]
    batch.figures += _figures(article, data)
    batch.revisions.append(_first_revision(article, source, f"created by {source}"))


@transaction.atomic
def import_articles(
    items: list[ArticleData], source: str = "import"
) -> list[tuple[Article, Outcome]]:
    """All articles of one file, or none of them; one change for the file."""
    with changes.collect(source):
        batch = ImportBatch.start(items)
        results = [_import_article(item, source, batch.seen, batch) for item in items]
        batch.finish()
    return results


def remove_from_search(article_ids: Iterable[int]) -> None:
    get_backend().remove(list(article_ids))
