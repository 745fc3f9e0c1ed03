from django.contrib.sitemaps.views import index, sitemap
from django.urls import path
from django.views.generic import TemplateView

from geopol.articles import feeds, search_views, views
from geopol.articles.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("preview/<int:pk>/", views.article_preview, name="article-preview"),
    path("regions/", views.regions, name="regions"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("countries/<slug:slug>/", views.country_detail, name="country"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("search/", search_views.search, name="search"),
    path("search/suggest", search_views.search_suggestions, name="search-suggest"),
    path("feeds/latest.rss", feeds.LatestArticlesFeed(), name="feed-rss"),
    path("feeds/latest.atom", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("regions/<slug:slug>/feed.rss", feeds.RegionFeed(), name="region-feed-rss"),
    path("regions/<slug:slug>/feed.atom", feeds.RegionAtomFeed(), name="region-feed-atom"),
    path("countries/<slug:slug>/feed.rss", feeds.CountryFeed(), name="country-feed-rss"),
    path("countries/<slug:slug>/feed.atom", feeds.CountryAtomFeed(), name="country-feed-atom"),
    path("topics/<slug:slug>/feed.rss", feeds.TopicFeed(), name="topic-feed-rss"),
    path("topics/<slug:slug>/feed.atom", feeds.TopicAtomFeed(), name="topic-feed-atom"),
    # an index of sections, each paged at 50,000 URLs (the protocol's limit per file)
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
