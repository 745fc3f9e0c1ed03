from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "geopol.api"
    label = "api"
