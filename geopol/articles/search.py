"""Article search on top of the search backend: what gets indexed, filters and facets,
visibility, access and presentation.

Other apps extend it without being imported here: `facet_providers` add facet values to each
article's search document (extraction adds actors and places), `value_resolvers` turn what a
member typed after `actor:` into the values indexed, `value_labelers` name facet values, and
`suggestion_providers` add completions.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from geopol.articles.access import can_read, readable_tiers
from geopol.articles.models import Article, ArticleCountry, ArticleType, Author, Topic
from geopol.core.text import fold
from geopol.geo.gazetteer import fold_name, load_country_names
from geopol.geo.models import Country, Region
from geopol.search.backends import get_backend
from geopol.search.backends.base import Document, Hit, SearchRequest, Suggestion
from geopol.search.names import NameIndex
from geopol.search.query import WORD_RE, ParsedQuery, parse_date, parse_query

TAG_RE = re.compile(r"</?mark>")
FACETS = ("region", "country", "type", "topic", "year")
FACET_LABELS = {
    "region": "Region",
    "country": "Country",
    "type": "Type",
    "topic": "Topic",
    "year": "Year",
    "actor": "Actor",
    "author": "Author",
    "place": "Place",
}
SORTS = ("relevance", "date")


@dataclass
class FacetValues:
    """An article's facet values: for every searcher, and only for readers of its tier
    (what the machine found in a restricted body)."""

    public: dict[str, list[str]] = field(default_factory=dict)
    restricted: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str, public: bool = True) -> None:
        values = (self.public if public else self.restricted).setdefault(name, [])
        if value not in values:
            values.append(value)


FacetProvider = Callable[[Sequence[Article]], Mapping[int, FacetValues]]
Resolver = Callable[[str], list[tuple[str, str]]]  # typed -> [(indexed value, label)]
Labeler = Callable[[Iterable[str]], Mapping[str, str]]
facet_providers: list[FacetProvider] = []
value_resolvers: dict[str, Resolver] = {}
value_labelers: dict[str, Labeler] = {}
suggestion_providers: list[Callable[[], Iterable[Suggestion]]] = []
# (variant, name) pairs "did you mean" knows: names as the archive writes them, with their
# aliases (countries here; actors, places and persons from extraction), and lookups of a
# folded text in the gazetteer's alternate names -> names of places the archive tags
name_variant_providers: list[Callable[[], Iterable[tuple[str, str]]]] = []
alternate_name_lookups: list[Callable[[str], list[str]]] = []


# -- documents -----------------------------------------------------------------------------


def search_documents(articles: Sequence[Article], texts: Mapping[int, str]) -> list[Document]:
    """The search documents of `articles` (their plain body texts in `texts`), with facets.
    Countries and regions, the machine's included, are public facets (what a piece is
    about); what else the machine found in a restricted body (actors, places) is a facet
    only for readers of that tier unless the title or teaser names it (extraction decides)."""
    ids = [a.pk for a in articles]
    facets = {pk: FacetValues() for pk in ids}
    links = ArticleCountry.objects.filter(article_id__in=ids).select_related("country")
    regions = _region_slugs()
    for link in links.order_by("article_id", "position"):
        # countries and regions are public metadata (docs/members.md, the paywall)
        entry = facets[link.article_id]
        entry.add("country", link.country_id)
        if link.primary or not entry.public.get("region"):
            entry.add("region", regions[link.country.region_id])
    for through, name, key in (
        (Article.topics.through, "topic", "topic__slug"),
        (Article.authors.through, "author", "author__slug"),
    ):
        for article_id, slug in through.objects.filter(article_id__in=ids).values_list(
            "article_id", key
        ):
            facets[article_id].add(name, slug)
    for provider in facet_providers:
        for article_id, extra in provider(articles).items():
            for name, values in extra.public.items():
                for value in values:
                    facets[article_id].add(name, value)
            for name, values in extra.restricted.items():
                for value in values:
                    facets[article_id].add(name, value, public=False)
    return [
        Document(
            id=a.pk,
            title=a.title,
            teaser=a.summary,
            body=texts[a.pk],
            published=a.published_at,
            tier=str(a.access),
            url=a.get_absolute_url(),
            facets={
                **facets[a.pk].public,
                "type": [str(a.type)],
                "year": [str(a.published_at.year)],
            },
            restricted_facets={
                name: [v for v in values if v not in facets[a.pk].public.get(name, [])]
                for name, values in facets[a.pk].restricted.items()
            },
        )
        for a in articles
    ]


@functools.cache
def _region_slugs() -> dict[int, str]:
    return dict(Region.objects.values_list("pk", "slug"))


# -- filter values -------------------------------------------------------------------------


@functools.cache
def _country_lookup() -> dict[str, str]:
    names = load_country_names()
    lookup = {key: codes[0] for key, codes in names.names.items()}
    for code, alpha3, slug in Country.objects.values_list("code", "alpha3", "slug"):
        lookup[code.lower()] = code
        lookup[alpha3.lower()] = code
        lookup[slug] = code
    return lookup


def _resolve_country(typed: str) -> list[tuple[str, str]]:
    code = _country_lookup().get(fold_name(typed)) or _country_lookup().get(typed.lower())
    if not code:
        return []
    return [(code, _country_names().get(code, code))]


@functools.cache
def _country_names() -> dict[str, str]:
    return dict(Country.objects.values_list("code", "name"))


def _resolve_named(model: Any) -> Resolver:
    def resolve(typed: str) -> list[tuple[str, str]]:
        key = fold(typed.strip())
        for slug, name in model.objects.values_list("slug", "name"):
            if key in (slug, fold(name)) or key.replace(" ", "-") == slug:
                return [(slug, name)]
        return []

    return resolve


def _resolve_type(typed: str) -> list[tuple[str, str]]:
    key = fold(typed.strip())
    for value, label in ArticleType.choices:
        if key in (value, fold(str(label)), fold(str(label)).replace(" ", "-")):
            return [(value, str(label))]
    return []


def _resolve_year(typed: str) -> list[tuple[str, str]]:
    return [(typed, typed)] if re.fullmatch(r"\d{4}", typed.strip()) else []


def _label_from(model: Any, key: str = "slug") -> Labeler:
    return lambda values: dict(
        model.objects.filter(**{f"{key}__in": list(values)}).values_list(key, "name")
    )


value_resolvers.update(
    {
        "region": _resolve_named(Region),
        "country": _resolve_country,
        "type": _resolve_type,
        "topic": _resolve_named(Topic),
        "year": _resolve_year,
        "author": _resolve_named(Author),
    }
)


def filter_fields() -> tuple[str, ...]:
    """What a search can be filtered by, typed (`country:Mali`) or picked (`?country=ML`):
    the fields with a resolver, this app's and those other apps registered, in that order."""
    return tuple(value_resolvers)


value_labelers.update(
    {
        "country": lambda values: {v: _country_names().get(v, v) for v in values},
        "region": _label_from(Region),
        "type": lambda values: {v: str(ArticleType(v).label) for v in values if v in ArticleType},
        "topic": _label_from(Topic),
        "author": _label_from(Author),
        "year": lambda values: {v: v for v in values},
    }
)


# -- results -------------------------------------------------------------------------------


@dataclass
class ArticleHit:
    article: Article
    score: float
    title_html: str
    snippet: str  # HTML: escaped text with <mark> around matches

    @property
    def snippet_text(self) -> str:
        return html.unescape(TAG_RE.sub("", self.snippet))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.article.pk,
            "slug": self.article.slug,
            "url": self.article.get_absolute_url(),
            "title": self.article.title,
            "published": self.article.published_at.astimezone(dt.UTC)
            .isoformat()
            .replace("+00:00", "Z"),
            "snippet": self.snippet,
            "score": self.score,
        }


@dataclass(frozen=True)
class AppliedFilter:
    """A filter in force, as a removable chip: typed in the query, or picked from a facet."""

    field: str
    value: str  # what was typed or picked
    label: str  # what it resolved to, for people
    typed: bool  # part of the query text (removing it edits the query)

    @property
    def field_label(self) -> str:
        return FACET_LABELS.get(self.field, self.field.capitalize())


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class ArticleSearchResults:
    query: str
    items: list[ArticleHit]
    total: int
    note: str = ""
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    facets_estimated: bool = False
    total_estimated: bool = False  # "about N": a backend that samples huge match sets
    filters: list[AppliedFilter] = field(default_factory=list)
    did_you_mean: str = ""
    sort: str = "relevance"

    def facets_json(self) -> dict[str, list[dict[str, Any]]]:
        return {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in self.facets.items()
        }


def search_articles(
    query: str,
    *,
    user: Any = None,
    limit: int = 10,
    offset: int = 0,
    sort: str = "relevance",
    filters: Mapping[str, Sequence[str]] | None = None,
    date_from: str = "",
    date_to: str = "",
    facets: Sequence[str] = (),
    spelling: bool = False,
    within: tuple[dt.datetime, dt.datetime] | None = None,
    browse: bool = False,
) -> ArticleSearchResults:
    """Published articles matching `query` and the picked `filters` (facet -> values, as
    typed or as indexed), best first or newest first; snippets only from text `user` may read.
    `date_from`/`date_to` take 2012, 2012-01 or 2012-01-15, both ends inclusive. `within`
    (start, end exclusive) narrows the dates further: a saved search checked against the
    article just published looks only at its instant. `browse`: with no words, filter or
    date, list everything published (newest first, with facets) instead of nothing."""
    now = timezone.now()
    parsed = parse_query(query)
    notes = [parsed.note] if parsed.note else []
    picked = [(f, v, False) for f, values in (filters or {}).items() for v in values if v]
    wanted, applied, unknown = _resolved_filters([(f, v, True) for f, v in parsed.filters] + picked)
    if unknown:
        return _no_results(query, [*notes, unknown])
    date_bounds, date_filters, date_notes = _date_bounds(parsed, date_from, date_to)
    applied, notes = applied + date_filters, notes + date_notes
    everything = browse and not (parsed.clauses or wanted or any(date_bounds.values()))
    searched = _searched_dates(date_bounds, everything, within, now)
    if searched is None:
        return _no_results(query, notes)
    sort = sort if sort in SORTS else "relevance"
    request = SearchRequest(
        query=parsed,
        filters=wanted,
        date_from=searched[0],
        date_to=searched[1],
        sort=sort,
        limit=limit,
        offset=offset,
        tiers=frozenset(str(t) for t in readable_tiers(user)),
        now=now,
        facets=tuple(facets),
    )
    results = get_backend().search(request)
    return ArticleSearchResults(
        query=query,
        items=_article_hits(results.hits, user, now),
        total=results.total,
        note=" ".join(notes),
        facets=_labelled_facets(results.facets, wanted),
        facets_estimated=results.facets_estimated,
        total_estimated=results.total_estimated,
        filters=applied,
        did_you_mean=_did_you_mean(query, request) if spelling and results.total == 0 else "",
        sort=sort,
    )


def _no_results(query: str, notes: list[str]) -> ArticleSearchResults:
    return ArticleSearchResults(query=query, items=[], total=0, note=" ".join(notes))


def _resolved_filters(
    typed: list[tuple[str, str, bool]],
) -> tuple[dict[str, list[str]], list[AppliedFilter], str]:
    """The indexed values of the filters (name, as typed, typed in the query?) and their
    chips, in order, each value once; or a note naming the first that resolves to nothing."""
    wanted: dict[str, list[str]] = {}
    applied: list[AppliedFilter] = []
    for name, value_typed, in_query in typed:
        resolver = value_resolvers.get(name)
        resolved = resolver(value_typed) if resolver else []
        if not resolved:
            return wanted, applied, f'Nothing is tagged {name} "{value_typed}"; check the spelling.'
        value, label = resolved[0]
        if value not in wanted.setdefault(name, []):
            wanted[name].append(value)
            applied.append(AppliedFilter(name, value_typed, label, in_query))
    return wanted, applied, ""


def _date_bounds(
    parsed: ParsedQuery, date_from: str, date_to: str
) -> tuple[dict[str, dt.datetime | None], list[AppliedFilter], list[str]]:
    """The date range ("from", "to"): the query's own dates, replaced by those picked in the
    form; with the chips of both (a picked date wins) and a note for each picked non-date."""
    bounds = {"from": parsed.date_from, "to": parsed.date_to}
    applied: list[AppliedFilter] = []
    notes: list[str] = []
    for name, typed in (("from", date_from), ("to", date_to)):
        if typed:
            moment = parse_date(typed, end=name == "to")
            if moment is None:
                notes.append(f"{name} {typed!r} is not a date (write 2012, 2012-01 or 2012-01-15).")
                continue
            bounds[name] = moment
            applied.append(AppliedFilter(name, typed, typed, False))
    for name, typed_value in parsed.dates:
        if not any(f.field == name and not f.typed for f in applied):  # a picked date wins
            applied.append(AppliedFilter(name, typed_value, typed_value, True))
    return bounds, applied, notes


def _searched_dates(
    bounds: Mapping[str, dt.datetime | None],
    everything: bool,
    within: tuple[dt.datetime, dt.datetime] | None,
    now: dt.datetime,
) -> tuple[dt.datetime | None, dt.datetime | None] | None:
    """The (from, to) the backend searches: `bounds`, up to now when listing `everything`
    published, narrowed to `within`; None when that leaves no time at all."""
    start, end = bounds["from"], bounds["to"]
    if everything:
        end = now + dt.timedelta(microseconds=1)
    if within is not None:
        start, end = _narrowed({"from": start, "to": end}, within)
        if start >= end:
            return None
    return start, end


def _article_hits(hits: Sequence[Hit], user: Any, now: dt.datetime) -> list[ArticleHit]:
    """The backend's hits as articles still published, each with the snippet this reader may
    see: from the body when readable and matched there, else from the teaser."""
    articles = Article.objects.published(now).in_bulk([h.id for h in hits])
    items = []
    for hit in hits:
        article = articles.get(hit.id)
        if article is None:  # retracted or unpublished since it was indexed
            continue
        readable = can_read(user, article)
        if readable and "<mark>" in hit.body_snippet:
            snippet = hit.body_snippet
        elif "<mark>" in hit.teaser_snippet or not readable:
            snippet = hit.teaser_snippet
        else:
            snippet = hit.body_snippet
        items.append(ArticleHit(article, hit.score, hit.title_html, snippet))
    return items


def _narrowed(
    bounds: Mapping[str, dt.datetime | None], within: tuple[dt.datetime, dt.datetime]
) -> tuple[dt.datetime, dt.datetime]:
    start, end = within
    low, high = bounds["from"], bounds["to"]
    return (max(start, low) if low else start, min(end, high) if high else end)


def _labelled_facets(counts, wanted: Mapping[str, Sequence[str]]) -> dict[str, list[FacetValue]]:
    labelled: dict[str, list[FacetValue]] = {}
    for name, values in counts.items():
        labeler = value_labelers.get(name)
        labels = labeler([v.value for v in values]) if labeler else {}
        chosen = wanted.get(name, ())
        ordered = sorted(values, key=lambda v: (-int(v.value), 0)) if name == "year" else values
        labelled[name] = [
            FacetValue(v.value, labels.get(v.value, v.value), v.count, v.value in chosen)
            for v in ordered
        ]
    return labelled


SPELLING_WORDS = 6  # words of one query checked for "did you mean"


def _did_you_mean(query: str, request: SearchRequest) -> str:
    """The query with each word that finds nothing replaced by a close word that does, if the
    corrected query finds something. Every check is a search as this reader, so a suggestion
    reveals nothing about text the reader may not read (or not yet)."""
    backend = get_backend()

    def finds(text: str, filtered: bool = False) -> bool:
        retry = SearchRequest(
            query=parse_query(text),
            filters=request.filters if filtered else {},
            date_from=request.date_from if filtered else None,
            date_to=request.date_to if filtered else None,
            limit=1,
            tiers=request.tiers,
            now=request.now,
        )
        return backend.search(retry).total > 0

    corrected, changed = query, False
    words = [w for w in dict.fromkeys(request.query.positive_words()) if len(w) >= 4]
    named, taken = _name_corrections(request.query.positive_words(), finds)
    for wrong, right in named:
        corrected = re.sub(_words_pattern(wrong), right, corrected, flags=re.IGNORECASE)
        changed = True
    for word in [w for w in words if w not in taken][:SPELLING_WORDS]:
        if finds(word):
            continue
        for candidate in backend.similar_terms(word):
            if finds(candidate):
                corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", candidate, corrected)
                changed = True
                break
    return corrected if changed and finds(corrected, filtered=True) else ""


def _words_pattern(text: str) -> str:
    return r"(?<!\w)" + r"\W+".join(re.escape(w) for w in text.split()) + r"(?!\w)"


NAME_INDEX_SECONDS = 600
NAMES_KEY = "articles:search:names"  # the token of the names' current build (shared cache)
_name_index: tuple[str, NameIndex] | None = None  # (token, index) this process built


def name_index() -> NameIndex:
    """The names "did you mean" knows (countries, and the providers': actors, their aliases,
    places tagged in public analyses). Built once per process for a token kept in the shared
    cache: when the token goes (after NAME_INDEX_SECONDS, `names_changed`, or an emptied
    cache) every process builds it again from the database, never answering from names of
    rows that are gone."""
    global _name_index
    token = cache.get(NAMES_KEY)
    if token is None:
        cache.add(NAMES_KEY, secrets.token_hex(6), NAME_INDEX_SECONDS)
        token = cache.get(NAMES_KEY)
    if _name_index is None or _name_index[0] != token:
        pairs: list[tuple[str, str]] = []
        countries = load_country_names()
        names = dict(Country.objects.values_list("code", "name"))
        for variant, codes in countries.names.items():
            if len(codes) == 1 and codes[0] in names:
                pairs.append((variant, names[codes[0]]))
        for provider in name_variant_providers:
            pairs.extend(provider())
        _name_index = (str(token), NameIndex(pairs))
    return _name_index[1]


def names_changed() -> None:
    """Names "did you mean" knows changed (an actor, a place): every process builds its name
    index again at its next use."""
    cache.delete(NAMES_KEY)


def _name_corrections(
    words: list[str], finds: Callable[[str], bool]
) -> tuple[list[tuple[str, str]], set[str]]:
    """Runs of one to three query words that find nothing but name a place, country, actor
    or person another way ("Timbuctoo", "Sevarre", "Ansar Dyne"): (as typed, the name) for
    each whose name finds something, and the words so corrected."""
    index = name_index()
    found: list[tuple[str, str]] = []
    taken: set[str] = set()
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if taken.intersection(run):
                continue
            text = " ".join(run)
            names = [n for lookup in alternate_name_lookups for n in lookup(text)]
            name = (names[0] if names else "") or index.closest(text)
            if not name or name.casefold() == text.casefold() or finds(text):
                continue
            if finds(name):
                found.append((text, name))
                taken.update(run)
    return found, taken


# -- completion ----------------------------------------------------------------------------


def suggest(prefix: str, limit: int = 8) -> list[Suggestion]:
    """Completions as a member types: countries, regions, actors, topics, then titles."""
    if len(prefix.strip()) < 2 or not WORD_RE.search(prefix):
        return []
    return get_backend().suggest(prefix[:100], limit=limit)


def named_suggestions() -> Iterable[Suggestion]:
    """Countries, regions, topics and authors as completions; other apps add theirs."""
    for region in Region.objects.all():
        yield Suggestion("region", region.name, region.get_absolute_url(), 4.0)
    for country in Country.objects.all():
        yield Suggestion("country", country.name, country.get_absolute_url(), 3.0)
    for topic in Topic.objects.all():
        yield Suggestion("topic", topic.name, topic.get_absolute_url(), 1.5)
    for author in Author.objects.all():
        yield Suggestion("author", author.name, author.get_absolute_url(), 1.0)
    for provider in suggestion_providers:
        yield from provider()


def refresh_suggestions() -> None:
    get_backend().replace_suggestions(named_suggestions())
