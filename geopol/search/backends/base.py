"""The interface every search backend implements. It knows documents, not articles."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """What gets indexed: three weighted text fields, the moment it becomes findable, and
    the access tier of its body. Title and teaser are for everyone; the body is matched only
    for searches allowed that tier, so a search can never probe text its reader may not
    read."""

    id: int
    title: str
    teaser: str
    body: str
    visible_from: dt.datetime
    tier: str = "public"


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    title_html: str  # title with matches in <mark>, HTML-escaped
    teaser_snippet: str  # HTML-escaped, matches in <mark>
    body_snippet: str  # HTML-escaped, matches in <mark>; callers decide who may see it


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    note: str = ""
    terms: list[str] = field(default_factory=list)


class SearchBackend(abc.ABC):
    """A search backend; every backend implements all five operations."""

    def __init__(self, alias: str = "default", **options: object) -> None:
        self.alias = alias
        self.options = options

    @abc.abstractmethod
    def index(self, documents: Iterable[Document], new: bool = False) -> int:
        """Add or replace documents; `new` promises none of them is indexed yet."""

    @abc.abstractmethod
    def remove(self, ids: Iterable[int]) -> None:
        """Drop these documents from the index."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Empty the index."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many documents are indexed."""

    @abc.abstractmethod
    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        offset: int = 0,
        now: dt.datetime | None = None,
        tiers: frozenset[str] = frozenset({"public"}),
    ) -> SearchResults:
        """Matches for `query`; bodies are searched only in the access `tiers` given."""
