from django.contrib.sitemaps import Sitemap

from geopol.articles.models import Article
from geopol.geo.models import Country, Region


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().newest().only("slug", "updated_at")

    def lastmod(self, item: Article):
        return item.updated_at


class RegionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Region.objects.navigation()


class CountrySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Country.objects.filter(articles__isnull=False).distinct().order_by("code")


SITEMAPS = {"articles": ArticleSitemap, "regions": RegionSitemap, "countries": CountrySitemap}
