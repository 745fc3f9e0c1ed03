from django.urls import include, path

from geopol.members import views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("account/", views.account, name="member-account"),
    path("account/delete/", views.delete_account, name="member-delete"),
    path("account/api-keys/", views.api_keys, name="member-api-keys"),
    path(
        "account/api-keys/<int:key_id>/revoke/", views.revoke_api_key, name="member-api-key-revoke"
    ),
    path("organizations/<slug:slug>/", views.organization, name="organization"),
    path(
        "organizations/<slug:slug>/seats/<int:seat_id>/remove/",
        views.remove_seat,
        name="seat-remove",
    ),
    path("invitations/<str:token>/", views.accept_seat, name="seat-accept"),
]
