from django.contrib.sitemaps import Sitemap

from geopol.articles.models import Article, ArticleCountry
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
        # every country a published piece is about, the machine's tags included (public)
        tags = ArticleCountry.objects.filter(article__in=Article.objects.published())
        return Country.objects.filter(code__in=tags.values("country_id")).order_by("code")


SITEMAPS = {"articles": ArticleSitemap, "regions": RegionSitemap, "countries": CountrySitemap}
