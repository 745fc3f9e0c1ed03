from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "geopol.core"
    label = "core"
