import json
from pathlib import Path
from typing import TextIO

from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "geopol.related"
    label = "related"
    verbose_name = "Connected Content"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from geopol.articles import pagecache
        from geopol.articles.changes import subscribe
        from geopol.articles.management.commands.load_demo import after_demo
        from geopol.related import parts, receivers
        from geopol.related.models import Curation

        parts.register()
        subscribe("related", receivers.forget_changed_lists)
        # pins and hides are in the API's article detail, cached for anyone (anoncache)
        post_save.connect(pagecache.pages_changed, sender=Curation, dispatch_uid="pin-saved")
        post_delete.connect(pagecache.pages_changed, sender=Curation, dispatch_uid="pin-deleted")
        after_demo(thread_demo)


DEMO_STORYLINES = Path(__file__).resolve().parent / "data" / "demo_storylines.json"


def thread_demo(stdout: TextIO) -> None:
    """After the demo corpus: the editors' storylines of demo_storylines.json (the machine
    finds none in that corpus), then the machine's threading of the whole archive, oldest
    first (under two seconds for the demo), whatever the import left undone."""
    from django.core.management import call_command

    from geopol.articles.models import Article
    from geopol.related.storylines import thread_by_editor

    for entry in json.loads(DEMO_STORYLINES.read_text())["storylines"]:
        articles = Article.objects.filter(source_url__in=entry["articles"])
        thread_by_editor(entry["name"], entry["slug"], articles)
    call_command("cluster_storylines", stdout=stdout)
