from django.contrib import admin
from django.urls import include, path

from geopol.api.urls import api
from geopol.desk.views_figures import media_file

urlpatterns = [
    path("", include("geopol.articles.urls")),
    path("", include("geopol.extraction.urls")),
    path("", include("geopol.related.urls")),
    path("", include("geopol.members.urls")),
    path("", include("geopol.follows.urls")),
    path("", include("geopol.billing.urls")),
    path("", include("geopol.forecasts.urls")),
    path("desk/", include("geopol.desk.urls")),
    path("media/figures/<str:name>", media_file, name="figure-media"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Geopol editorial"
admin.site.site_title = "Geopol editorial"
admin.site.index_title = "Publishing"
