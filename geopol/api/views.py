"""The API's endpoints: thin views over the apps' public functions. Every list is paginated
by the database (tests/test_query_budgets.py holds each page to a query budget)."""

import functools

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.decorators import decorate_view

from geopol.api.schemas import (
    MAX_PAGE,
    ArticleDetail,
    ArticleFilters,
    ArticlePage,
    CountryOut,
    ListWindow,
    Message,
    RegionOut,
    SearchOut,
    SuggestionOut,
    ValidationErrorOut,
)
from geopol.articles import anoncache
from geopol.articles.access import can_read
from geopol.articles.models import Article
from geopol.articles.search import FACETS, search_articles, suggest
from geopol.extraction.maps import article_map_spec
from geopol.geo.maps import geojson, world_geojson
from geopol.geo.models import Country, Region
from geopol.related.services import related_for

router = Router()


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


# the same answers for every caller without a key or session, until any article changes
for_anyone = decorate_view(anoncache.cached_view(anoncache.listings_scope))


@router.get("/articles", response={200: ArticlePage, 422: ValidationErrorOut}, tags=["articles"])
@for_anyone
def list_articles(request: HttpRequest, filters: Query[ArticleFilters], window: Query[ListWindow]):
    """Published articles, newest first, a page at a time (`limit` at most 100)."""
    queryset = Article.objects.published().newest()
    if filters.country:
        country = Country.objects.filter(code=filters.country.upper()).first()
        queryset = queryset.in_country(country) if country else queryset.none()
    if filters.region:
        region = Region.objects.filter(slug=filters.region).first()
        queryset = queryset.in_region(region) if region else queryset.none()
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    end = window.offset + min(window.limit, MAX_PAGE)
    page = queryset.defer("body", "body_html").with_country_links()[window.offset : end]
    return {"items": [_summary(a, request.user) for a in page], "count": queryset.count()}


@router.get("/articles/{slug}", response={200: ArticleDetail, 404: Message}, tags=["articles"])
@for_anyone
def get_article(request: HttpRequest, slug: str):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    readable = can_read(request.user, article)
    return {
        **_summary(article, request.user),
        "authors": [a.name for a in article.authors.all()],
        "topics": [t.name for t in article.topics.all()],
        "body_html": article.body_html if readable else None,
        "readable": readable,
        "connected": [
            {**_summary(c.article, request.user), "reason": c.reason, "pinned": c.pinned}
            for c in related_for(article, request.user)
        ],
    }


@router.get("/regions", response=list[RegionOut], tags=["regions & countries"])
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


@router.get("/countries", response=list[CountryOut], tags=["regions & countries"])
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


@router.get(
    "/countries/{code}", response={200: CountryOut, 404: Message}, tags=["regions & countries"]
)
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


@router.get("/search", response={200: SearchOut, 422: ValidationErrorOut}, tags=["search"])
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


@router.get("/search/suggest", response=list[SuggestionOut], tags=["search"])
def search_suggest(request: HttpRequest, q: str = ""):
    """Completions as one types: regions, countries, actors, topics, analysts, then titles."""
    return [{"kind": s.kind, "label": s.label, "url": s.url} for s in suggest(q)]


@router.get("/articles/{slug}/map", response={200: dict, 404: Message}, tags=["maps"])
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


@router.get("/maps/countries", tags=["maps"])
def countries_basemap(request: HttpRequest):
    """Country outlines (Natural Earth 1:110m) as GeoJSON: a basemap without a tile server."""
    return _world_basemap()


@functools.cache
def _world_basemap() -> dict:
    return world_geojson()
