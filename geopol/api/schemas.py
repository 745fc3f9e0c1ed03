"""What the API answers, as django-ninja schemas: the OpenAPI document is built from these."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from geopol.articles.models import Access, ArticleType

MAX_PAGE = 100  # items per page of a list at most; a larger `limit` gets this many


class CountryRef(Schema):
    code: str
    name: str
    url: str


class ArticleSummary(Schema):
    id: int
    slug: str
    url: str
    title: str
    type: ArticleType
    access: Access = Field(description="who may read the body: public, registered or members")
    published: dt.datetime
    dateline: str
    reading_minutes: int
    teaser: str
    countries: list[CountryRef]


class ConnectedArticle(ArticleSummary):
    reason: str  # why it is connected, in words, from what the reader may read
    pinned: bool  # chosen by the editors


class ArticleDetail(ArticleSummary):
    authors: list[str]
    topics: list[str]
    body_html: str | None
    readable: bool
    connected: list[ConnectedArticle]


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
    sort: Literal["relevance", "date"]
    did_you_mean: str
    filters: list[SearchFilterOut]
    facets: dict[str, list[FacetValueOut]]
    facets_estimated: bool
    total_estimated: bool
    results: list[SearchHitOut]


class SuggestionOut(Schema):
    # not an enum: apps add kinds of their own (articles.search.suggestion_providers)
    kind: str = Field(
        description="region, country, actor, place, topic, author or article; apps may add kinds"
    )
    label: str
    url: str


class ArticleFilters(Schema):
    country: str | None = None
    region: str | None = None
    type: ArticleType | None = None


class ArticlePage(Schema):
    items: list[ArticleSummary]
    count: int = Field(description="articles matching, over all pages")


class ListWindow(Schema):
    limit: int = Field(MAX_PAGE, ge=1, description=f"items per page, at most {MAX_PAGE}")
    offset: int = Field(0, ge=0, description="items to skip")


class Message(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict]
