from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from geopol.articles.access import can_preview, open_article, readable_tiers
from geopol.articles.models import Article, ArticleType, Author, Status, Topic
from geopol.geo.models import Country, Region

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper than anyone pages; keeps offsets inside what SQLite accepts


def home(request: HttpRequest) -> HttpResponse:
    published = Article.objects.published().newest().for_listing()
    lead = published.first()
    rest = published.exclude(pk=lead.pk) if lead else published
    latest = list(rest[:6])
    # the type sections continue where Latest stops, so no story shows twice
    rest = rest.exclude(pk__in=[a.pk for a in latest])
    sections = []
    for value, label in ArticleType.choices:
        items = list(rest.filter(type=value)[:4])
        if items:
            sections.append({"type": value, "label": label, "items": items})
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "latest": latest,
            "sections": sections,
            "regions": Region.objects.navigation().annotate(
                article_count=_tag_count("countries__article_links", readable_tiers(request.user))
            ),
        },
    )


def _tag_count(links: str, tiers: frozenset[str]) -> Count:
    """Published articles counted through country tags (`links`, a path to ArticleCountry).
    A tag the machine found in a body counts only when the reader may read that body: a
    count must not reveal what a hidden text mentions."""
    article = f"{links}__article"
    return Count(
        article,
        filter=Q(
            **{
                f"{article}__status__in": [Status.PUBLISHED, Status.SCHEDULED],
                f"{article}__published_at__lte": timezone.now(),
            }
        )
        & (Q(**{f"{links}__by_editor": True}) | Q(**{f"{article}__access__in": list(tiers)})),
        distinct=True,
    )


def _article_page(request: HttpRequest, article: Article, preview: bool = False) -> HttpResponse:
    reading = open_article(request.user, article)
    readable = reading.readable
    # what the geoparser found comes from the text: not for readers who may not read it
    countries = article.ordered_countries(given_only=not readable)
    context = {
        "article": article,
        "preview": preview,
        "readable": readable,
        "reading": reading,
        "metered_articles": getattr(settings, "GEOPOL_METERED_ARTICLES", 0),
        "countries": countries,
        "regions": Article.regions_of(countries),
        "authors": list(article.authors.all()),
        "topics": list(article.topics.all()),
        "connected": Article.objects.connected_to(article).prefetch_related("countries"),
        "has_map_figure": readable and article.figures.filter(kind="map").exists(),
        "json_ld": json.dumps(
            _json_ld(request, article, readable, countries), ensure_ascii=False
        ).replace("<", "\\u003c"),
        "canonical_url": settings.SITE_URL + article.get_absolute_url(),
    }
    status = 410 if article.status == Status.RETRACTED and not preview else 200
    return render(request, "articles/article.html", context, status=status)


def _json_ld(
    request: HttpRequest, article: Article, readable: bool, countries: list[Country]
) -> dict:
    url = settings.SITE_URL + article.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.summary,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": url,
        "url": url,
        "articleSection": article.get_type_display(),
        "wordCount": article.word_count,
        "timeRequired": f"PT{article.reading_minutes}M",
        "author": [{"@type": "Person", "name": a.name} for a in article.authors.all()]
        or [{"@type": "Organization", "name": settings.SITE_NAME}],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "contentLocation": [
            {"@type": "Country", "name": c.name, "identifier": c.code} for c in countries
        ],
        "isAccessibleForFree": article.access == "public",
    }
    if article.access != "public":
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".article-body",
        }
    return data


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.prefetch_related("authors", "topics"), slug=slug)
    if article.status == Status.RETRACTED:
        return _article_page(request, article)
    if not article.is_visible:
        if can_preview(request.user):
            return _article_page(request, article, preview=True)
        raise Http404("No such article")
    return _article_page(request, article)


def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_preview(request.user):
        raise Http404("No such article")
    article = get_object_or_404(Article.objects.prefetch_related("authors", "topics"), pk=pk)
    return _article_page(request, article, preview=True)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def regions(request: HttpRequest) -> HttpResponse:
    tiers = readable_tiers(request.user)
    listing = []
    for region in Region.objects.navigation().prefetch_related("countries"):
        counts = dict(
            Country.objects.filter(region=region)
            .annotate(n=_tag_count("article_links", tiers))
            .values_list("code", "n")
        )
        countries = sorted(region.countries.all(), key=lambda c: c.name)
        listing.append(
            {"region": region, "countries": [(c, counts.get(c.code, 0)) for c in countries]}
        )
    return render(request, "articles/regions.html", {"listing": listing})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    tiers = readable_tiers(request.user)
    articles = Article.objects.published().in_region(region, tiers).newest().for_listing()
    active = (
        Country.objects.filter(region=region)
        .annotate(n=_tag_count("article_links", tiers))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )
    return render(
        request,
        "articles/region.html",
        {
            "region": region,
            "page": _page(request, articles),
            "active_countries": active,
            "all_countries": region.countries.order_by("name"),
        },
    )


def country_detail(request: HttpRequest, slug: str) -> HttpResponse:
    country = get_object_or_404(Country.objects.select_related("region"), slug=slug)
    tiers = readable_tiers(request.user)
    articles = Article.objects.published().in_country(country, tiers).newest().for_listing()
    return render(
        request,
        "articles/country.html",
        {
            "country": country,
            "page": _page(request, articles),
        },
    )


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    articles = Article.objects.published().filter(topics=topic).newest().for_listing()
    return render(
        request,
        "articles/listing.html",
        {
            "heading": topic.name,
            "kicker": "Topic",
            "follow_target": topic,
            "feed_slug": topic.slug,
            "page": _page(request, articles),
        },
    )


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().filter(authors=author).newest().for_listing()
    return render(
        request,
        "articles/listing.html",
        {
            "heading": author.name,
            "kicker": "Analyst",
            "follow_target": author,
            "intro": author.bio,
            "page": _page(request, articles),
        },
    )
