from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "geopol.geo"
    label = "geo"
    verbose_name = "Regions & Countries"
