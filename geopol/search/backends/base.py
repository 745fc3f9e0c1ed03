"""The interface every search backend implements. It knows documents, not articles."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from geopol.search.query import ParsedQuery

# How many of a query's matches a backend ranks by relevance. A query matching more documents
# than this (a bare common word) ranks the newest RANK_WINDOW matches plus every document whose
# title holds the query as a phrase, so no exact title or phrase match is ever lost.
RANK_WINDOW = 2000
# Facet counts are exact up to this many matches; above it they are estimated from an even
# sample of the matches, and the results say so.
EXACT_FACETS = 4000


@dataclass(frozen=True)
class Document:
    """What gets indexed: three weighted text fields, the publication time that orders results
    and filters by date, the moment it becomes findable, the access tier of its body, and facet
    values to filter and count by (e.g. {"country": ["ML"], "year": ["2013"]}), some of them
    only for readers of its tier. Title and
    teaser are for everyone; the body is matched only for searches allowed that tier, so a
    search can never probe text its reader may not read."""

    id: int
    title: str
    teaser: str
    body: str
    published: dt.datetime
    tier: str = "public"
    facets: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # facet values only searches allowed the document's tier may filter and count by
    # (e.g. countries the machine found in a members-only body)
    restricted_facets: Mapping[str, Sequence[str]] = field(default_factory=dict)
    visible_from: dt.datetime | None = None  # None: from `published`
    url: str = ""  # where a completion of its title leads

    @property
    def findable_from(self) -> dt.datetime:
        return self.visible_from or self.published


@dataclass(frozen=True)
class SearchRequest:
    """One search: the parsed text, facet filters (all must hold), a date range on the
    publication time, the order, the page, what the reader may read, the facets to count."""

    query: ParsedQuery
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    date_from: dt.datetime | None = None
    date_to: dt.datetime | None = None  # exclusive
    sort: str = "relevance"  # or "date" (newest first)
    limit: int = 10
    offset: int = 0
    tiers: frozenset[str] = frozenset({"public"})
    now: dt.datetime | None = None
    facets: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        return not self.query.is_empty

    @property
    def selects_anything(self) -> bool:
        """Words, a filter or a date bound; an empty request finds nothing."""
        return self.has_text or bool(self.filters or self.date_from or self.date_to)


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    title_html: str  # title with matches in <mark>, HTML-escaped
    teaser_snippet: str  # HTML-escaped, matches in <mark>
    body_snippet: str  # HTML-escaped, matches in <mark>, only from a body the reader may read


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    note: str = ""
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    facets_estimated: bool = False  # counts scaled up from a sample of a very large match set
    total_estimated: bool = False  # `total` too (a backend that cannot count cheaply: "about")


@dataclass(frozen=True)
class Suggestion:
    """A completion offered as the member types: an article title, a country, an actor..."""

    kind: str
    label: str
    url: str
    weight: float = 0.0  # higher first among equally good matches


class SearchBackend(abc.ABC):
    """A search backend. Writes happen in the caller's transaction, so the index commits or
    rolls back with the content it describes."""

    def __init__(self, alias: str = "default", **options: object) -> None:
        self.alias = alias
        self.database = str(options.pop("DATABASE", "default"))  # the DATABASES alias used
        self.options = options
        self.rank_window = int(options.pop("RANK_WINDOW", RANK_WINDOW))  # type: ignore[call-overload]
        self.exact_facets = int(options.pop("EXACT_FACETS", EXACT_FACETS))  # type: ignore[call-overload]

    @abc.abstractmethod
    def setup(self) -> None:
        """Create the index structures if they are missing (idempotent)."""

    @abc.abstractmethod
    def index(self, documents: Iterable[Document], new: bool = False) -> int:
        """Add or replace documents; `new` promises none of them is indexed yet."""

    @abc.abstractmethod
    def remove(self, ids: Iterable[int]) -> None:
        """Drop these documents from the index."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Empty the index (documents and suggestions)."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many documents are indexed."""

    @abc.abstractmethod
    def indexed_ids(self) -> set[int]:
        """The ids of every indexed document (to check the index against its source)."""

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResults:
        """Matches for the request; bodies are searched only in the access tiers given."""

    @abc.abstractmethod
    def replace_suggestions(self, suggestions: Iterable[Suggestion]) -> None:
        """Replace the completions offered as one types."""

    @abc.abstractmethod
    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Completions whose words start with the words typed."""

    @abc.abstractmethod
    def similar_terms(self, word: str, limit: int = 3) -> list[str]:
        """Indexed words or suggestion words spelled like `word`, best first ("did you mean")."""

    # -- rebuilding aside (`geopol reindex`) ---------------------------------------------------
    # The live index keeps answering, complete, while a new one is built beside it; writes to
    # the live index meanwhile log the ids they touched, which are indexed again into the new
    # one before it is swapped in, in one transaction. Each call runs in the caller's
    # transaction; an abandoned or interrupted rebuild leaves the live index as it was.

    def begin_rebuild(self) -> SearchBackend:
        """Make empty index structures aside (dropping any an unfinished rebuild left) and
        start logging the ids written to the live index. Returns a backend that writes to
        (and counts) the new structures; it does not search. Commit before filling it."""
        raise NotImplementedError(f"{type(self).__name__} cannot rebuild aside")

    def rebuild_started(self) -> dt.datetime | None:
        """When the rebuild in progress (or one left unfinished) began; None if none."""
        return None

    def take_rebuild_changes(self) -> list[int]:
        """The ids written to the live index since the rebuild began or this was last called
        (forgotten as they are returned)."""
        raise NotImplementedError

    def lock_for_swap(self) -> None:
        """Make writers of the live index wait until the caller's transaction ends; searches
        go on."""
        raise NotImplementedError

    def swap_rebuild(self) -> None:
        """Put the new index in the live one's place (the old one is kept aside until
        drop_retired_index) and stop logging."""
        raise NotImplementedError

    def drop_retired_index(self) -> None:
        """Free what the index replaced by swap_rebuild used."""
        raise NotImplementedError

    def abandon_rebuild(self) -> None:
        """Drop the new structures and stop logging; the live index is untouched."""
        raise NotImplementedError

    def compact_step(self) -> bool:
        """One short step of compacting the index after a bulk load (`geopol reindex` calls it,
        each call in its own transaction, until it returns False); by default nothing to do."""
        return False

    def statistics(self) -> dict[str, object]:
        """Size facts for benchmarks and the operator."""
        return {"documents": self.count()}
