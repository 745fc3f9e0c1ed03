from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from geopol.articles import anoncache, pagecache, parts, viewas
from geopol.articles.access import Reading, can_preview, open_article, reader_kind
from geopol.articles.coverage import coverage_series, coverage_svg
from geopol.articles.models import (
    Article,
    ArticleQuerySet,
    ArticleType,
    Author,
    Status,
    Topic,
    visible_q,
)
from geopol.core.context_processors import site
from geopol.core.db import PreparedQuery
from geopol.core.siteurl import site_url
from geopol.geo.context_processors import navigation
from geopol.geo.models import Country, Region

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper than anyone pages; keeps offsets inside what SQLite accepts


def home(request: HttpRequest) -> HttpResponse:
    """The home page, shared by every reader signed in, and by every reader not, and cached
    until an article changes (pagecache.home_page). What it lists is the same for every
    reader (countries are public metadata; counts include every piece)."""
    signed_in = request.user.is_authenticated
    variant = "in" if signed_in else "out"
    page = pagecache.home_page(variant, lambda nonce: _render_home(signed_in, nonce))
    return HttpResponse(page.fill({"messages": _messages(request)}))


def _render_home(signed_in: bool, nonce: str) -> pagecache.PageWithHoles:
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
    context = {
        **site(None),  # rendered without the request, as article pages are
        **navigation(None),
        "user": viewas.Reader(is_authenticated=signed_in),
        "request": _Path("/"),
        "holes": pagecache.PageWithHoles.holes(nonce, ("messages",)),
        "lead": lead,
        "latest": latest,
        "sections": sections,
        "regions": Region.objects.navigation().annotate(
            article_count=_tag_count("countries__article_links")
        ),
    }
    return pagecache.PageWithHoles(render_to_string("articles/home.html", context), nonce)


def _tag_count(links: str) -> Count:
    """Published articles counted through country tags (`links`, a path to ArticleCountry),
    the machine's included: countries are public metadata of every piece."""
    article = f"{links}__article"
    return Count(
        article,
        filter=visible_q(prefix=f"{article}__"),
        distinct=True,
    )


def _article_page(request: HttpRequest, article: Article, preview: bool = False) -> HttpResponse:
    view_as = viewas.chosen(request) if preview else ""
    if view_as:  # an editor's preview as another reader: nothing is counted or cached
        reading = Reading(viewas.readable_as(article, view_as))
    else:
        reading = open_article(request.user, article)  # per request: metered reads counted
    readable = reading.readable
    reader = viewas.reader_as(view_as, request.user)
    signed_in = reader.is_authenticated

    def render_page(nonce: str) -> pagecache.PageWithHoles:
        page = _render_shared_page(article, readable, signed_in, preview, nonce)
        if preview:
            switch = render_to_string(
                "includes/view_as.html", {"view_as": viewas.links(request, view_as)}
            )
            page = pagecache.PageWithHoles(page.html.replace(PREVIEW_MARK, switch, 1), nonce)
        return page

    page = (
        render_page(secrets.token_hex(8))
        if preview
        else pagecache.article_page(article, readable, signed_in, render_page)
    )
    html = page.fill(
        {
            "bookmark": _bookmark_button(request, article, preview),
            "meter": _meter_notice(reading),
            "paywall": "" if readable else _paywall(request, article, reading, reader),
            "messages": _messages(request),
            "site": site_url(request),
            "connected": connected_html(article, view_as or reader_kind(request.user)),
        }
    )
    status = 410 if article.status == Status.RETRACTED and not preview else 200
    return HttpResponse(html, status=status)


HOLES = ("bookmark", "meter", "paywall", "messages", "site", "connected")


def connected_html(article: Article, reader: str) -> str:
    """Connected Content for a kind of reader (access.TIERS_BY_READER): what an app above
    draws into the "connected" slot (its reasons depend on what the reader may read, so it
    is a hole of the cached page), else the articles sharing most countries."""
    if parts.filled("connected"):
        return parts.draw("connected", None, article=article, reader=reader)
    return render_to_string(
        "articles/includes/connected.html", {"connected": Article.objects.connected_to(article)}
    )


# the site's address in JSON-LD, replaced by the "site" hole after JSON escaping (which
# would escape the hole's own "<" marker)
SITE_TOKEN = "geopol-site-url-"  # noqa: S105 - a placeholder, not a secret
PREVIEW_MARK = "<!-- view-as -->"


class _Path:
    """The one thing of the request a shared page may use: its path (sign-in links)."""

    def __init__(self, path: str):
        self.path = path


def _render_shared_page(
    article: Article, readable: bool, signed_in: bool, preview: bool, nonce: str
) -> pagecache.PageWithHoles:
    """The page as every reader of this variant sees it, with holes for the per-reader parts;
    rendered without the request, so nothing about the reader can end up in it."""
    context = _shared_context(article, readable, signed_in, preview, nonce)
    return pagecache.PageWithHoles(render_to_string("articles/article.html", context), nonce)


def _shared_context(
    article: Article, readable: bool, signed_in: bool, preview: bool, nonce: str
) -> dict[str, Any]:
    # countries (the machine's too) are shown to every reader; places and actors found only
    # in the body are not (extraction's template tags decide, told `readable`)
    countries = article.ordered_countries()
    authors = list(article.authors.all())
    path = reverse("article-preview", args=[article.pk]) if preview else article.get_absolute_url()
    holes = pagecache.PageWithHoles.holes(nonce, HOLES)
    context = {
        **site(None),  # the context processors base.html needs, none about the request
        **navigation(None),
        "user": viewas.Reader(is_authenticated=signed_in),
        "request": _Path(path),
        "holes": holes,
        "article": article,
        "preview": preview,
        "readable": readable,
        "countries": countries,
        "regions": Article.regions_of(countries),
        "authors": authors,
        "topics": list(article.topics.all()),
        "has_map_figure": readable and article.figures.filter(kind="map").exists(),
        "json_ld": json.dumps(_json_ld(article, readable, countries, authors), ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(SITE_TOKEN, holes["site"]),
        # the site's address comes per request (GEOPOL_SITE_URL, else the request's host)
        "canonical_url": mark_safe(holes["site"] + article.get_absolute_url()),
    }
    return context


def preview_fragment(request: HttpRequest, article: Article, view_as: str = "") -> str:
    """The article element of `article`'s page exactly as a reader of kind `view_as`
    (viewas.CHOICES; '' is the editor) would get it, for a preview beside the text (the
    editor's desk). `article` may hold unsaved text: its derived fields are what is drawn
    (services.derive), its tags, figures and judgments are read from the database. Nothing is
    counted, cached or saved; the view-as switch is left to the caller."""
    readable = viewas.readable_as(article, view_as)
    reader = viewas.reader_as(view_as, request.user)
    nonce = secrets.token_hex(8)
    context = _shared_context(article, readable, reader.is_authenticated, True, nonce)
    html = render_to_string("articles/includes/article_main.html", context)
    page = pagecache.PageWithHoles(html.replace(PREVIEW_MARK, "", 1), nonce)
    return page.fill(
        {
            "bookmark": "",
            "meter": "",
            "paywall": "" if readable else _paywall(request, article, Reading(False), reader),
            "messages": "",
            "site": site_url(request),
            "connected": connected_html(article, view_as or reader_kind(reader)),
        }
    )


BookmarkForm = Callable[[Any, Article, str, str], str]
_bookmark_form: BookmarkForm | None = None


def register_bookmark_form(render: BookmarkForm | None) -> None:
    """Install what draws the save-for-later form on article pages (the follows app does, at
    start-up, as the members app installs the meter): render(user, article, csrf_token,
    next_path) -> HTML. None removes it."""
    global _bookmark_form
    _bookmark_form = render


def _bookmark_button(request: HttpRequest, article: Article, preview: bool) -> str:
    if preview or _bookmark_form is None or not request.user.is_authenticated:
        return ""
    if not article.is_visible:
        return ""
    return _bookmark_form(request.user, article, get_token(request), request.get_full_path())


def _meter_notice(reading: Reading) -> str:
    if not (reading.readable and reading.allowance):
        return ""
    return format_html(
        '<p class="notice meter">{} of {} free members-only analyses left this month.</p>',
        reading.left,
        reading.allowance,
    )


def _paywall(request: HttpRequest, article: Article, reading: Reading, reader: Any) -> str:
    context = {
        "article": article,
        "reading": reading,
        "metered_articles": getattr(settings, "GEOPOL_METERED_ARTICLES", 0),
        "user": reader,
        "request": request,
    }
    return render_to_string("articles/paywall.html", context)


def _messages(request: HttpRequest) -> str:
    storage = get_messages(request)
    if not storage:
        return ""
    return render_to_string("includes/messages.html", {"messages": storage})


def _json_ld(
    article: Article, readable: bool, countries: list[Country], authors: list[Author]
) -> dict:
    url = SITE_TOKEN + article.get_absolute_url()
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
        "author": [{"@type": "Person", "name": a.name} for a in authors]
        or [{"@type": "Organization", "name": settings.SITE_NAME}],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": SITE_TOKEN,
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


# the body is read only when the page's shared parts are rendered (not when cached)
_article_by_slug = PreparedQuery(
    lambda slug: Article.objects.defer("body", "body_html").filter(slug=slug).order_by(), str
)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = _article_by_slug(slug)
    if not found:
        raise Http404("No such article")
    article = found[0]
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
    article = get_object_or_404(Article, pk=pk)
    return _article_page(request, article, preview=True)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def regions(request: HttpRequest) -> HttpResponse:
    listing = []
    for region in Region.objects.navigation().prefetch_related("countries"):
        counts = dict(
            Country.objects.filter(region=region)
            .annotate(n=_tag_count("article_links"))
            .values_list("code", "n")
        )
        countries = sorted(region.countries.all(), key=lambda c: c.name)
        listing.append(
            {"region": region, "countries": [(c, counts.get(c.code, 0)) for c in countries]}
        )
    return render(request, "articles/regions.html", {"listing": listing})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    tagged = Article.objects.published().in_region(region)
    articles = tagged.newest().for_listing()
    active = (
        Country.objects.filter(region=region)
        .annotate(n=_tag_count("article_links"))
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
            "coverage": _coverage(tagged, f"Analyses of {region.name}"),
        },
    )


def country_detail(request: HttpRequest, slug: str) -> HttpResponse:
    country = get_object_or_404(Country.objects.select_related("region"), slug=slug)
    scope = anoncache.country_scope(country.code)
    return anoncache.response(request, scope, lambda: _country_page(request, country))


def _country_page(request: HttpRequest, country: Country) -> HttpResponse:
    tagged = Article.objects.published().in_country(country)
    articles = tagged.newest().for_listing()
    return render(
        request,
        "articles/country.html",
        {
            "country": country,
            "page": _page(request, articles),
            "coverage": _coverage(tagged, f"Analyses of {country.name}"),
        },
    )


def _coverage(tagged: ArticleQuerySet, subject: str) -> dict[str, Any]:
    """The coverage chart of a hub page (articles.coverage), and its unit (month or year)."""
    bars = coverage_series(monthly_counts(tagged))
    return {
        "svg": mark_safe(coverage_svg(bars, subject)),
        "unit": bars[0].unit if bars else "month",
    }


def monthly_counts(articles: ArticleQuerySet) -> dict[dt.date, int]:
    """Analyses per month (first day of the month -> count), in one query."""
    rows = (
        articles.order_by()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    return {row["month"].date(): row["n"] for row in rows}


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
