"""How the forecasts app hears of edits: key judgments given by an import (the `judgments`
key) through the articles import hook, and its own saves reaching the change path."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from geopol.articles import changes
from geopol.articles.changes import Aspect
from geopol.articles.importers import ArticleData
from geopol.articles.models import Article
from geopol.forecasts.models import Judgment
from geopol.forecasts.services import store_imported_judgments, store_new_judgments


def store_judgments(items: list[tuple[Article, ArticleData]]) -> None:
    """Registered with articles.services.register_import_hook: runs in the import's
    transaction, so a bad judgment (an unknown country) fails its whole file."""
    having = set(
        Judgment.objects.filter(article__in=[a for a, _ in items]).values_list(
            "article_id", flat=True
        )
    )
    # an article with no judgments yet (every new one) is written with the others at once
    store_new_judgments(
        [
            (a, d.judgments, d.countries, d.line)
            for a, d in items
            if d.judgments and a.pk not in having
        ]
    )
    for article, data in items:
        if article.pk in having:
            store_imported_judgments(article, data.judgments, data.countries, line=data.line)


def judgment_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A judgment saved, resolved or deleted changes its article's Key judgments box: the
    article's own change (its pages and its countries' pages), not every cached page."""
    if not raw:
        changes.record(instance.article_id, Aspect.RECORD)


def countries_changed(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Judgment):
        changes.record(instance.article_id, Aspect.RECORD)


def connect() -> None:
    post_save.connect(judgment_changed, sender=Judgment, dispatch_uid="forecasts-saved")
    post_delete.connect(judgment_changed, sender=Judgment, dispatch_uid="forecasts-gone")
    m2m_changed.connect(
        countries_changed, sender=Judgment.countries.through, dispatch_uid="forecasts-m2m"
    )
