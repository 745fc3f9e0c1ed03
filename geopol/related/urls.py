from django.urls import path

from geopol.related import views

urlpatterns = [
    path("storylines/", views.storyline_index, name="storylines"),
    path("storylines/<slug:slug>/", views.storyline_detail, name="storyline"),
]
