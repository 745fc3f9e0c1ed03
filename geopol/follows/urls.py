from django.urls import path

from geopol.follows import saved_views, views
from geopol.follows.feeds import PrivateFeedView

app_name = "follows"

urlpatterns = [
    path("follow/<str:kind>/<str:key>/", views.follow_toggle, name="follow"),
    path("my/", views.my_geopol, name="my-geopol"),
    path("my/follows/", views.manage, name="manage"),
    path("my/feed/", views.private_feed_settings, name="private-feed-settings"),
    path("my/digest/", views.digest_settings, name="digest-settings"),
    path("my/searches/", saved_views.saved_searches, name="saved-searches"),
    path("my/searches/save/", saved_views.save_search, name="save-search"),
    path("my/reading-list/", views.reading_list, name="reading-list"),
    path("bookmark/<int:pk>/", views.bookmark_toggle, name="bookmark"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/private/<str:token>.atom", PrivateFeedView(), name="private-feed"),
]
