from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "geopol.follows"
    label = "follows"
    verbose_name = "Follows, alerts and feeds"

    def ready(self) -> None:
        from geopol.follows import receivers  # noqa: F401
