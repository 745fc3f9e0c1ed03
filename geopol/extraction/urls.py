from django.urls import path

from geopol.extraction import views

urlpatterns = [
    path("actors/", views.actor_index, name="actors"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("persons/", views.person_index, name="persons"),
]
