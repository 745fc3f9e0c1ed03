from django.core.management.base import BaseCommand

from geopol.articles.models import Article
from geopol.related import storylines
from geopol.related.models import Storyline
from geopol.related.receivers import forget_all


class Command(BaseCommand):
    help = (
        "Thread published analyses into storylines (shared actors and places within "
        f"{storylines.WINDOW_DAYS} days), oldest first; editors' decisions are kept. Edits and "
        f"imports of up to {500} articles do this by themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="first delete the storylines no editor renamed or pinned",
        )

    def handle(self, *args, **options):
        if options["fresh"]:
            Storyline.objects.filter(named_by_editor=False, pinned=False).delete()
        articles = Article.objects.published().defer("body")
        threaded = storylines.assign_all(articles)
        forget_all()  # Connected Content says "Same storyline" from now on
        n = Storyline.objects.count()
        self.stdout.write(f"{threaded} analyses in {n} storyline{'' if n == 1 else 's'}.")
