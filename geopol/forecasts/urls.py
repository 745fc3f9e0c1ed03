from django.urls import path

from geopol.forecasts import views

app_name = "forecasts"

urlpatterns = [
    path("forecasts/", views.scorecard, name="scorecard"),
    path("forecasts/follow/", views.follow, name="follow"),
]
