from django.apps import AppConfig


class ExtractionConfig(AppConfig):
    name = "geopol.extraction"
    label = "extraction"
    verbose_name = "Places, countries and actors"

    def ready(self) -> None:
        from geopol.articles.changes import subscribe
        from geopol.articles.management.commands.load_demo import before_demo
        from geopol.extraction import parts, receivers
        from geopol.extraction.search import register

        register()
        parts.register()
        subscribe("tagging", receivers.tag_changed_articles)
        before_demo(load_actors)


def load_actors(stdout) -> None:
    """Before the demo: the shipped actor registry may be newer than the database's copy."""
    from django.core.management import call_command

    call_command("load_actors", stdout=stdout)
