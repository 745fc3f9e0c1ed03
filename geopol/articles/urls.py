from django.urls import path

from geopol.articles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("preview/<int:pk>/", views.article_preview, name="article-preview"),
    path("regions/", views.regions, name="regions"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("countries/<slug:slug>/", views.country_detail, name="country"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
]
