"""Atom and RSS feeds of the latest analyses. Members-only and registered articles carry
their teaser only; full text in feeds is for public articles."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from geopol.articles.models import Access, Article


class LatestArticlesFeed(Feed):
    title = "Geopol: latest analyses"
    link = "/"
    description = "The newest analyses, assessments, situation reports and forecasts."

    def items(self):
        return Article.objects.published().newest().prefetch_related("authors")[:30]

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
