"""The read-only JSON API, v1. OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs."""

import datetime as dt
import functools

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from geopol.articles.access import can_read
from geopol.articles.models import Article
from geopol.articles.search import FACETS, search_articles, suggest
from geopol.extraction.maps import article_map_spec
from geopol.geo.maps import geojson, world_geojson
from geopol.geo.models import Country, Region

api = NinjaAPI(
    title="Geopol API",
    version="1",
    description="Read-only access to published analyses, regions, countries and search. "
    "Members-only text is returned only to readers who may read it.",
    urls_namespace="api-v1",
)


class CountryRef(Schema):
    code: str
    name: str
    url: str


class ArticleSummary(Schema):
    id: int
    slug: str
    url: str
    title: str
    type: str
    access: str
    published: dt.datetime
    dateline: str
    reading_minutes: int
    teaser: str
    countries: list[CountryRef]


class ArticleDetail(ArticleSummary):
    authors: list[str]
    topics: list[str]
    body_html: str | None
    readable: bool
    connected: list[ArticleSummary]


class RegionOut(Schema):
    slug: str
    name: str
    description: str
    url: str
    countries: list[CountryRef]


class CountryOut(Schema):
    code: str
    alpha3: str
    name: str
    official_name: str
    region: str
    url: str


class SearchHitOut(Schema):
    id: int
    slug: str
    url: str
    title: str
    published: str
    snippet: str
    score: float


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchFilterOut(Schema):
    field: str
    value: str
    label: str


class SearchOut(Schema):
    query: str
    total: int
    note: str
    sort: str
    did_you_mean: str
    filters: list[SearchFilterOut]
    facets: dict[str, list[FacetValueOut]]
    facets_estimated: bool
    total_estimated: bool
    results: list[SearchHitOut]


class SuggestionOut(Schema):
    kind: str
    label: str
    url: str


class ArticleFilters(Schema):
    country: str | None = None
    region: str | None = None
    type: str | None = None


def _country_ref(country: Country) -> dict:
    return {"code": country.code, "name": country.name, "url": country.get_absolute_url()}


def _summary(article: Article, user=None) -> dict:
    """An article as listed, with its countries (the machine's too: public metadata)."""
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": article.get_absolute_url(),
        "title": article.title,
        "type": article.type,
        "access": article.access,
        "published": article.published_at,
        "dateline": article.dateline,
        "reading_minutes": article.reading_minutes,
        "teaser": article.summary,
        "countries": [_country_ref(c) for c in article.ordered_countries()],
    }


@api.get("/articles", response=list[ArticleSummary], tags=["articles"])
@paginate(LimitOffsetPagination)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    """Published articles, newest first."""
    queryset = Article.objects.published().newest()
    if filters.country:
        country = Country.objects.filter(code=filters.country.upper()).first()
        queryset = queryset.in_country(country) if country else queryset.none()
    if filters.region:
        region = Region.objects.filter(slug=filters.region).first()
        queryset = queryset.in_region(region) if region else queryset.none()
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    return [_summary(a, request.user) for a in queryset.prefetch_related("country_links__country")]


@api.get("/articles/{slug}", response=ArticleDetail, tags=["articles"])
def get_article(request: HttpRequest, slug: str):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    readable = can_read(request.user, article)
    return {
        **_summary(article, request.user),
        "authors": [a.name for a in article.authors.all()],
        "topics": [t.name for t in article.topics.all()],
        "body_html": article.body_html if readable else None,
        "readable": readable,
        "connected": [_summary(a, request.user) for a in Article.objects.connected_to(article)],
    }


@api.get("/regions", response=list[RegionOut], tags=["regions & countries"])
def list_regions(request: HttpRequest):
    return [
        {
            "slug": r.slug,
            "name": r.name,
            "description": r.description,
            "url": r.get_absolute_url(),
            "countries": [_country_ref(c) for c in r.countries.order_by("name")],
        }
        for r in Region.objects.navigation().prefetch_related("countries")
    ]


@api.get("/countries", response=list[CountryOut], tags=["regions & countries"])
def list_countries(request: HttpRequest):
    return [
        {
            "code": c.code,
            "alpha3": c.alpha3,
            "name": c.name,
            "official_name": c.official_name,
            "region": c.region.slug,
            "url": c.get_absolute_url(),
        }
        for c in Country.objects.select_related("region").order_by("name")
    ]


@api.get("/countries/{code}", response=CountryOut, tags=["regions & countries"])
def get_country(request: HttpRequest, code: str):
    c = get_object_or_404(Country.objects.select_related("region"), code=code.upper())
    return {
        "code": c.code,
        "alpha3": c.alpha3,
        "name": c.name,
        "official_name": c.official_name,
        "region": c.region.slug,
        "url": c.get_absolute_url(),
    }


@api.get("/search", response=SearchOut, tags=["search"])
def search(
    request: HttpRequest,
    q: str = "",
    country: str = "",
    region: str = "",
    type: str = "",
    topic: str = "",
    actor: str = "",
    author: str = "",
    date_from: str = Query("", alias="from"),
    date_to: str = Query("", alias="to"),
    sort: str = "relevance",
    limit: int = 10,
    offset: int = 0,
):
    """Full-text search with the site's query language (words, "phrases", OR, -exclude,
    prefix*, country:ML, from:2012-01 ...). Filters take codes, slugs or names; dates 2012,
    2012-01 or 2012-01-15 (inclusive). Facet counts for region, country, type, topic and year
    describe all matches. Snippets never come from text the caller may not read."""
    picked = {
        name: [value]
        for name, value in (
            ("country", country),
            ("region", region),
            ("type", type),
            ("topic", topic),
            ("actor", actor),
            ("author", author),
        )
        if value
    }
    results = search_articles(
        q,
        user=request.user,
        limit=max(1, min(limit, 100)),
        offset=max(0, min(offset, 10_000)),
        sort=sort,
        filters=picked,
        date_from=date_from,
        date_to=date_to,
        facets=FACETS,
        spelling=True,
    )
    return {
        "query": q,
        "total": results.total,
        "note": results.note,
        "sort": results.sort,
        "did_you_mean": results.did_you_mean,
        "filters": [
            {"field": f.field, "value": f.value, "label": f.label} for f in results.filters
        ],
        "facets": results.facets_json(),
        "facets_estimated": results.facets_estimated,
        "total_estimated": results.total_estimated,
        "results": [item.as_json() for item in results.items],
    }


@api.get("/search/suggest", response=list[SuggestionOut], tags=["search"])
def search_suggest(request: HttpRequest, q: str = ""):
    """Completions as one types: regions, countries, actors, topics, analysts, then titles."""
    return [{"kind": s.kind, "label": s.label, "url": s.url} for s in suggest(q)]


@api.get("/articles/{slug}/map", tags=["maps"])
def article_map(request: HttpRequest, slug: str, figure: str = ""):
    """The article's map as GeoJSON: its places (for readers who may read it), the shaded
    countries and the view, as the page's SVG map draws them; with `figure`, that map
    figure's authored layers too."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    readable = can_read(request.user, article)
    layers = None
    if figure and readable:
        found = article.figures.filter(key=figure, kind="map").first()
        layers = found.layers if found else None
    return geojson(article_map_spec(article, with_places=readable, layers=layers))


@api.get("/maps/countries", tags=["maps"])
def countries_basemap(request: HttpRequest):
    """Country outlines (Natural Earth 1:110m) as GeoJSON: a basemap without a tile server."""
    return _world_basemap()


@functools.cache
def _world_basemap() -> dict:
    return world_geojson()


api.add_router("/forecasts", "geopol.api.forecasts.router")  # the forecast ledger
