"""The search page and the completions endpoint: facets, removable filter chips, order,
pagination and "did you mean", all as plain links so the page works without JavaScript."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from geopol.articles import anoncache
from geopol.articles.search import (
    FACET_LABELS,
    FACETS,
    ArticleSearchResults,
    filter_fields,
    search_articles,
    suggest,
)

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper than anyone pages; keeps offsets inside what backends accept
DATE_PARAMS = ("from", "to")
FACET_SHOWN = 8


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int = 0
    selected: bool = False
    field_label: str = ""


def _url(params: list[tuple[str, str]]) -> str:
    kept = [(k, v) for k, v in params if v]
    return reverse("search") + ("?" + urlencode(kept) if kept else "")


def _without_token(query: str, field: str, value: str) -> str:
    """The query text without one typed filter (field:value or field:"value")."""
    pattern = rf'(?<!\S){re.escape(field)}:(?:"{re.escape(value)}"|{re.escape(value)})(?!\S)'
    return " ".join(re.sub(pattern, " ", query, count=1, flags=re.IGNORECASE).split())


def search(request: HttpRequest) -> HttpResponse:
    # the same page for every reader with nothing of their own, until any article changes
    return anoncache.response(request, anoncache.listings_scope(), lambda: _search_page(request))


def _search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "relevance")
    try:
        page_number = min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        page_number = 1
    picked = {name: request.GET.getlist(name) for name in filter_fields() if request.GET.get(name)}
    dates = {name: request.GET.get(name, "").strip() for name in DATE_PARAMS}
    # everything that defines the search, in a stable order; page and sort are added per link
    base: list[tuple[str, str]] = [("q", query)]
    base += [(name, v) for name, values in picked.items() for v in values]
    base += [(name, v) for name, v in dates.items() if v]
    browsing = not (query or picked or any(dates.values()))
    # an empty search lists the newest analyses, with every facet to narrow them
    results = search_articles(
        query,
        user=request.user,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
        sort="date" if browsing else sort,
        filters=picked,
        date_from=dates["from"],
        date_to=dates["to"],
        facets=FACETS,
        spelling=True,
        browse=browsing,
    )
    sort_param = [("sort", "date")] if results.sort == "date" and not browsing else []
    context: dict[str, object] = {
        "query": query,
        "results": results,
        "sort": sort,
        "browsing": browsing,
        "saved_params": base,
    }
    if results is not None:
        context.update(_navigation(results, base, sort_param, page_number, query))
    return render(request, "articles/search.html", context)


def _navigation(
    results: ArticleSearchResults,
    base: list[tuple[str, str]],
    sort_param: list[tuple[str, str]],
    page_number: int,
    query: str,
) -> dict[str, object]:
    """The page's links: previous and next page, the two orders, the filter chips, the
    facets and "did you mean", each keeping the rest of the search (`base`)."""
    pages = min(-(-results.total // PAGE_SIZE), MAX_PAGE)
    return {
        "pages": pages,
        "page_number": page_number,
        "previous_url": _url([*base, *sort_param, ("page", str(page_number - 1))])
        if page_number > 1
        else "",
        "next_url": _url([*base, *sort_param, ("page", str(page_number + 1))])
        if page_number < pages
        else "",
        "sort_links": [
            Link("Best match", _url(base), selected=results.sort == "relevance"),
            Link("Newest", _url([*base, ("sort", "date")]), selected=results.sort == "date"),
        ],
        "chips": _chips(results, base, sort_param, query),
        "facet_groups": _facet_groups(results, base, sort_param),
        "did_you_mean_url": _url([("q", results.did_you_mean), *base[1:], *sort_param])
        if results.did_you_mean
        else "",
    }


def _chips(results, base, sort_param, query: str) -> list[Link]:
    chips = []
    for applied in results.filters:
        if applied.typed:
            rest = [("q", _without_token(query, applied.field, applied.value)), *base[1:]]
        else:
            dropped = False
            rest = []
            for key, value in base:
                if not dropped and key == applied.field and value == applied.value:
                    dropped = True
                    continue
                rest.append((key, value))
        chips.append(
            Link(applied.label, _url([*rest, *sort_param]), field_label=applied.field_label)
        )
    return chips


def _facet_groups(results, base, sort_param) -> list[dict[str, object]]:
    groups = []
    for name in FACETS:
        values = results.facets.get(name) or []
        links = []
        # every year (a year is a date range); the FACET_SHOWN most frequent of the others
        for value in values if name == "year" else values[:FACET_SHOWN]:
            if value.selected:
                continue  # shown as a chip
            if name == "year":  # a year is a date range, replacing any other
                params = [(k, v) for k, v in base if k not in DATE_PARAMS]
                params += [("from", value.value), ("to", value.value)]
            else:
                params = [*base, (name, value.value)]
            links.append(Link(value.label, _url([*params, *sort_param]), value.count))
        if links:
            groups.append({"name": name, "label": FACET_LABELS[name], "links": links})
    return groups


def search_suggestions(request: HttpRequest) -> JsonResponse:
    """Completions as one types: [{kind, label, url}], named things first, then titles."""
    found = suggest(request.GET.get("q", ""), limit=8)
    response = JsonResponse(
        {"suggestions": [{"kind": s.kind, "label": s.label, "url": s.url} for s in found]}
    )
    response["Cache-Control"] = "max-age=60"
    return response
