from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from geopol.articles.models import Article, ArticleCountry
from geopol.geo.models import Country, Region


class ArticleSitemap(Sitemap):
    """Paged at `limit` URLs per file; /sitemap.xml indexes every page, so an archive past
    50,000 pieces is still listed whole."""

    changefreq = "monthly"
    limit = 50_000

    def items(self):
        return Article.objects.published().newest().only("slug", "updated_at")

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        # the index's <lastmod> for this section, from one aggregate instead of every row
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class RegionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Region.objects.navigation()


class CountrySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        # every country a published piece is about, the machine's tags included (public)
        tags = ArticleCountry.objects.filter(article__in=Article.objects.published())
        return Country.objects.filter(code__in=tags.values("country_id")).order_by("code")


SITEMAPS = {"articles": ArticleSitemap, "regions": RegionSitemap, "countries": CountrySitemap}
