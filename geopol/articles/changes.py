"""The change path: how an edit to articles reaches everything derived from them.

Every write to articles (one save, one imported file, one bulk action in the admin) ends in
one `ArticleChange`, a declared value, delivered to an ordered, declared list of subscribers:

    tagging -> indexing -> related -> pages -> alerts

An app above `articles` plugs in with one module (a function taking an `ArticleChange`) and
one line in its AppConfig.ready: `subscribe("related", on_change)`. Subscribers of one stage
run in the order their apps start (INSTALLED_APPS).

When it runs: the first three stages write derived rows (tags, the search index, connected
content) in the same transaction as the edit, once the articles' own rows are all written,
so an import stays all or nothing; the last two reach outside the database (the page cache,
the task queue) and run after the commit, never for a change that was rolled back.

How a change is made: services and the admin open `collect(source)`; every article written
inside (by the service or by a plain `Article.save()`, through `record`) joins one change,
emitted when the block ends without an error. A save outside any block (a shell, a script)
is a change of its own. What subscribers write while a change is delivered starts no other.

Nothing travels on model instances: what the writer knows and a subscriber would otherwise
read back (the plain text, figure captions, the editor's countries) is in the record.
"""

from __future__ import annotations

import contextvars
import enum
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from geopol.articles.models import Article


class Aspect(enum.StrEnum):
    """What changed about an article."""

    TEXT = "text"  # title, teaser, body or figures, rendered again: what derives from them is stale
    RECORD = "record"  # its row or own rows: status, access, time, slug, figures
    TAGS = "tags"  # countries, authors, topics, or an editor's decision on a place or actor
    REMOVED = "removed"  # deleted
    DUE = "due"  # fell due: visible from now on by time alone, nothing written (scheduling.py)


@dataclass(frozen=True)
class ChangedArticle:
    """One article of a change. `article` is the instance the writer had (None when only the
    id was known: `ArticleChange.articles()` loads those). The last three fields hold what
    the writer knew; None means "not known: read it from the database"."""

    pk: int
    article: Article | None
    aspects: frozenset[Aspect]
    created: bool = False
    plain_text: str | None = None  # the rendered body as plain text
    captions: str | None = None  # the figures' captions, joined by spaces
    editor_countries: tuple[str, ...] | None = None  # the countries the editor gave, in order

    @property
    def removed(self) -> bool:
        return Aspect.REMOVED in self.aspects

    def merged(self, other: ChangedArticle) -> ChangedArticle:
        """This article changed again in the same change: both aspects, the newest facts."""
        return replace(
            self,
            article=other.article or self.article,
            aspects=self.aspects | other.aspects,
            created=self.created or other.created,
            plain_text=_newer(other.plain_text, self.plain_text),
            captions=_newer(other.captions, self.captions),
            editor_countries=_newer(other.editor_countries, self.editor_countries),
        )


def _newer(new, old):
    return old if new is None else new


@dataclass(frozen=True)
class ArticleChange:
    """What one save, one imported file or one bulk action changed, in the order written.
    `source` says where it came from ("import", "admin", "save", "tagging"...)."""

    items: tuple[ChangedArticle, ...]
    source: str = "save"

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def ids(self) -> list[int]:
        return [item.pk for item in self.items]

    def having(self, aspect: Aspect) -> list[ChangedArticle]:
        """The articles for which `aspect` changed and that still exist."""
        return [i for i in self.items if aspect in i.aspects and not i.removed]

    def loaded(
        self, items: Sequence[ChangedArticle] | None = None
    ) -> list[tuple[ChangedArticle, Article]]:
        """`items` (default: every article not removed) with their instances, in order; those
        recorded by id alone are loaded in one query (and left out if gone since)."""
        from geopol.articles.models import Article

        items = [i for i in self.items if not i.removed] if items is None else items
        missing = [i.pk for i in items if i.article is None]
        found = Article.objects.in_bulk(missing) if missing else {}
        pairs = [(i, i.article if i.article is not None else found.get(i.pk)) for i in items]
        return [(item, article) for item, article in pairs if article is not None]

    def articles(self, items: Sequence[ChangedArticle] | None = None) -> list[Article]:
        """The instances of `items` (default: every article not removed), in order."""
        return [article for _, article in self.loaded(items)]


Subscriber = Callable[[ArticleChange], None]


@dataclass(frozen=True)
class Stage:
    name: str
    after_commit: bool  # reaches outside the database: run once the transaction commits
    purpose: str


STAGES = (
    Stage("tagging", False, "derive tags from the text (extraction)"),
    Stage("indexing", False, "the search index (articles)"),
    Stage("related", False, "connected content, timelines, storylines"),
    Stage("pages", True, "drop the cached pages that show the articles (articles.pagecache)"),
    Stage("alerts", True, "tell followers and saved searches (follows)"),
)
_STAGE_NAMES = tuple(stage.name for stage in STAGES)


@dataclass
class _Registry:
    by_stage: dict[str, list[Subscriber]] = field(
        default_factory=lambda: {name: [] for name in _STAGE_NAMES}
    )


_registry = _Registry()


def subscribe(stage: str, subscriber: Subscriber) -> None:
    """Run `subscriber(change)` for every ArticleChange, at `stage` (one of STAGES). Call it
    from AppConfig.ready; registering the same function twice keeps one."""
    if stage not in _registry.by_stage:
        raise ValueError(f"unknown change stage {stage!r}; use one of {', '.join(_STAGE_NAMES)}")
    if subscriber not in _registry.by_stage[stage]:
        _registry.by_stage[stage].append(subscriber)


def subscribers() -> list[tuple[str, Subscriber]]:
    """Every subscriber with its stage, in the order a change reaches them."""
    return [(name, s) for name in _STAGE_NAMES for s in _registry.by_stage[name]]


class _Collector:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: dict[int, ChangedArticle] = {}

    def add(self, item: ChangedArticle) -> None:
        earlier = self.items.get(item.pk)
        self.items[item.pk] = item if earlier is None else earlier.merged(item)

    def change(self) -> ArticleChange:
        return ArticleChange(tuple(self.items.values()), self.source)


_DELIVERING = _Collector("delivering")  # records made by subscribers go nowhere
_current: contextvars.ContextVar[_Collector | None] = contextvars.ContextVar(
    "geopol_article_change", default=None
)


@contextmanager
def collect(source: str) -> Iterator[None]:
    """Gather every article written inside the block into one change, emitted at its end
    (not when it raises). Inside another block, or while a change is delivered, the outer
    one gathers them."""
    if _current.get() is not None:
        yield
        return
    collector = _Collector(source)
    token = _current.set(collector)
    try:
        yield
    finally:
        _current.reset(token)
    emit(collector.change())


def record(
    article: Article | int,
    *aspects: Aspect,
    created: bool = False,
    plain_text: str | None = None,
    captions: str | None = None,
    editor_countries: Sequence[str] | None = None,
) -> None:
    """Note that `article` (an instance, or its id) changed: it joins the change being
    collected, or is emitted as a change of its own outside `collect`."""
    instance = None if isinstance(article, int) else article
    pk = article if isinstance(article, int) else article.pk
    item = ChangedArticle(
        pk=pk,
        article=instance,
        aspects=frozenset(aspects),
        created=created,
        plain_text=plain_text,
        captions=captions,
        editor_countries=None if editor_countries is None else tuple(editor_countries),
    )
    collector = _current.get()
    if collector is None:
        emit(ArticleChange((item,), "save"))
    elif collector is not _DELIVERING:
        collector.add(item)


def emit(change: ArticleChange) -> None:
    """Deliver `change` to every subscriber in order: those of the in-transaction stages
    now, the others once the transaction commits (at once outside a transaction)."""
    if not change:
        return
    token = _current.set(_DELIVERING)
    try:
        for stage in STAGES:
            for subscriber in _registry.by_stage[stage.name]:
                if stage.after_commit:
                    # robust: a failing page-cache step must not cost the alerts after it
                    # (Django logs the error and runs the remaining callbacks)
                    transaction.on_commit(_Delivery(subscriber, change), robust=True)
                else:
                    subscriber(change)
    finally:
        _current.reset(token)


class _Delivery:
    """A subscriber's delivery left for the commit; `done` once it ran (a test running the
    commit callbacks inside its own transaction leaves them listed)."""

    def __init__(self, subscriber: Subscriber, change: ArticleChange) -> None:
        self.subscriber, self.change, self.done = subscriber, change, False
        # what Django's robust on_commit names in its log line when the subscriber fails
        self.__qualname__ = getattr(subscriber, "__qualname__", repr(subscriber))

    def __call__(self) -> None:
        self.done = True
        token = _current.set(_DELIVERING)
        try:
            self.subscriber(self.change)
        finally:
            _current.reset(token)


def pending(subscriber: Subscriber) -> bool:
    """True while this connection's transaction holds a change `subscriber` has yet to see."""
    return any(
        isinstance(callback, _Delivery) and callback.subscriber is subscriber and not callback.done
        for _, callback, _ in transaction.get_connection().run_on_commit
    )
