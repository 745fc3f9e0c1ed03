"""Atom and RSS feeds: the site's latest analyses, and one per region, country and topic.
Members-only and registered articles carry their teaser only; full text in public feeds is
for public articles. Region and country feeds count a tag the geoparser found in a body only
for public articles, as the pages do for anonymous readers."""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from geopol.articles.models import Access, Article, Topic
from geopol.geo.models import Country, Region

PUBLIC = frozenset({Access.PUBLIC})
FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    title = "Geopol: latest analyses"
    link = "/"
    description = "The newest analyses, assessments, situation reports and forecasts."

    def items(self):
        return Article.objects.published().newest().prefetch_related("authors")[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.body_html if item.access == Access.PUBLIC else item.summary

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(a.name for a in item.authors.all())

    def item_categories(self, item: Article) -> list[str]:
        return [item.get_type_display()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class RegionFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Region:
        return get_object_or_404(Region, slug=slug)

    def title(self, obj: Region) -> str:
        return f"Geopol: {obj.name}"

    def link(self, obj: Region) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Region) -> str:
        return f"The newest analyses about {obj.name}."

    def items(self, obj: Region):
        articles = Article.objects.published().in_region(obj)
        return articles.newest().prefetch_related("authors")[:FEED_SIZE]


class CountryFeed(RegionFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Country:  # type: ignore[override]
        return get_object_or_404(Country, slug=slug)

    def items(self, obj: Country):  # type: ignore[override]
        articles = Article.objects.published().in_country(obj)
        return articles.newest().prefetch_related("authors")[:FEED_SIZE]


class TopicFeed(RegionFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Topic:  # type: ignore[override]
        return get_object_or_404(Topic, slug=slug)

    def items(self, obj: Topic):  # type: ignore[override]
        articles = Article.objects.published().filter(topics=obj)
        return articles.newest().prefetch_related("authors")[:FEED_SIZE]


class RegionAtomFeed(RegionFeed):
    feed_type = Atom1Feed


class CountryAtomFeed(CountryFeed):
    feed_type = Atom1Feed


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed
