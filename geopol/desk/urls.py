from django.urls import path

from geopol.desk import views, views_figures, views_history, views_reading

app_name = "desk"
urlpatterns = [
    path("", views.desk_list, name="list"),
    path("new/", views.start, name="start"),
    path("notices/read/", views.notices_read, name="notices-read"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/preview/", views.live_preview, name="preview"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/move/<slug:action>/", views.make_move, name="move"),
    path("<int:pk>/reviewer/", views.set_reviewer, name="reviewer"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("<int:pk>/history/", views_history.history, name="history"),
    path("<int:pk>/history/compare/", views_history.compare, name="compare"),
    path("<int:pk>/history/<int:number>/restore/", views_history.restore, name="restore"),
    path("<int:pk>/reading/<int:entity_id>/<slug:decision>/", views_reading.decide, name="decide"),
    path("<int:pk>/reading/add/<slug:kind>/", views_reading.add, name="add"),
    path("<int:pk>/reading/find/", views_reading.places, name="find"),
    path("<int:pk>/judgments/", views_reading.judgments, name="judgments"),
    path("<int:pk>/figures/", views_figures.figures_page, name="figures"),
    path("<int:pk>/figures/image/", views_figures.upload_image, name="figure-image"),
    path("<int:pk>/figures/map/", views_figures.save_map, name="figure-map"),
    path("<int:pk>/figures/check/", views_figures.check_map, name="figure-check"),
    path("<int:pk>/figures/<slug:key>/remove/", views_figures.remove, name="figure-remove"),
]
