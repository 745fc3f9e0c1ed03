from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "geopol.follows"
    label = "follows"
    verbose_name = "Follows, alerts and feeds"

    def ready(self) -> None:
        from geopol.articles.views import register_bookmark_form
        from geopol.follows import receivers  # noqa: F401
        from geopol.follows.templatetags.follows import bookmark_form

        register_bookmark_form(bookmark_form)
