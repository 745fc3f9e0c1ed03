from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "geopol.desk"
    label = "desk"
    verbose_name = "Editor's desk"
