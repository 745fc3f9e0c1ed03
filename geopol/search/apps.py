from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "geopol.search"
    label = "search"
