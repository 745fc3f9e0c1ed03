from django.apps import AppConfig
from django.core import checks


class FollowsConfig(AppConfig):
    name = "geopol.follows"
    label = "follows"
    verbose_name = "Follows, alerts and feeds"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from geopol.articles.changes import subscribe
        from geopol.articles.parts import contribute
        from geopol.articles.views import register_bookmark_form
        from geopol.follows import receivers
        from geopol.follows.templatetags.follows import bookmark_form, follow_part
        from geopol.related.models import StorylineArticle

        register_bookmark_form(bookmark_form)
        contribute("follow", follow_part)
        subscribe("alerts", receivers.match_published)
        post_save.connect(receivers.match_storyline_joined, sender=StorylineArticle)
        checks.register(check_alert_settings)


def check_alert_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    from geopol.follows.alerts import keep_days_problem

    problem = keep_days_problem()
    return [checks.Error(problem, id="geopol.E001")] if problem else []
