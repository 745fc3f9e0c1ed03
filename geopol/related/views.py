from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from geopol.articles.models import Article, ArticleCountry, visible_q
from geopol.extraction.maps import cached_svg, places_map_spec
from geopol.extraction.parts import merged_timeline, recent_places
from geopol.extraction.timelines import articles_events
from geopol.related.models import Storyline


def _published_links() -> Q:
    return Q(links__removed=False) & visible_q(prefix="links__article__")


def storyline_index(request: HttpRequest) -> HttpResponse:
    storylines = (
        Storyline.objects.annotate(
            n=Count("links", filter=_published_links()),
            first=Min("links__article__published_at", filter=_published_links()),
            last=Max("links__article__published_at", filter=_published_links()),
        )
        .filter(n__gt=1)
        .order_by("-pinned", "-last")
    )
    page = Paginator(storylines, 30).get_page(request.GET.get("page"))
    return render(request, "related/storylines.html", {"page": page})


def storyline_detail(request: HttpRequest, slug: str) -> HttpResponse:
    storyline = get_object_or_404(Storyline, slug=slug)
    articles = list(
        Article.objects.published()
        .filter(storyline_links__storyline=storyline, storyline_links__removed=False)
        .for_listing()
        .order_by("published_at", "id")
    )
    codes = set(
        ArticleCountry.objects.filter(article__in=articles, primary=True).values_list(
            "country_id", flat=True
        )
    )
    # places only of the pieces everyone may read (as the country maps do)
    public = [a.pk for a in articles if a.access == "public"]
    spec = places_map_spec(
        recent_places(public),
        codes,
        f"Places in {storyline.name}",
        "No places mentioned in its public analyses",
    )
    events = articles_events(request.user, [a.pk for a in articles])
    return render(
        request,
        "related/storyline.html",
        {
            "storyline": storyline,
            "articles": articles,
            "map_svg": mark_safe(cached_svg(spec)),
            "timeline": mark_safe(merged_timeline(events, "Timeline")) if events else "",
        },
    )
