"""How the forecasts app hears of edits: key judgments given by an import (the `judgments`
key) through the articles import hook, and its own saves reaching the page cache."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from geopol.articles.importers import ArticleData
from geopol.articles.models import Article
from geopol.articles.pagecache import pages_changed
from geopol.forecasts.models import Judgment
from geopol.forecasts.services import store_imported_judgments


def store_judgments(items: list[tuple[Article, ArticleData]]) -> None:
    """Registered with articles.services.register_import_hook: runs in the import's
    transaction, so a bad judgment (an unknown country) fails its whole file."""
    for article, data in items:
        store_imported_judgments(article, data.judgments, data.countries, line=data.line)


def connect() -> None:
    # What an article page shows (pagecache): a judgment saved, resolved or deleted anywhere
    # changes its Key judgments box.
    for sender in (Judgment, Judgment.countries.through):
        post_save.connect(pages_changed, sender=sender, dispatch_uid=f"forecasts-saved-{sender}")
        post_delete.connect(pages_changed, sender=sender, dispatch_uid=f"forecasts-gone-{sender}")
    m2m_changed.connect(pages_changed, sender=Judgment.countries.through, dispatch_uid="fc-m2m")
