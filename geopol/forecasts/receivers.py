"""Key judgments given by an import (the `judgments` key) are stored when the import writes
their article, in the same transaction."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from geopol.articles.events import articles_imported
from geopol.articles.pagecache import pages_changed
from geopol.forecasts.models import Judgment
from geopol.forecasts.services import store_imported_judgments


@receiver(articles_imported, dispatch_uid="forecasts-store-judgments")
def store_judgments(sender, items, **kwargs) -> None:
    for article, data in items:
        store_imported_judgments(article, data.judgments, data.countries, line=data.line)


# What an article page shows (pagecache): a judgment saved, resolved or deleted anywhere
# changes its Key judgments box.
for _sender in (Judgment, Judgment.countries.through):
    post_save.connect(pages_changed, sender=_sender, dispatch_uid=f"forecasts-pages-{_sender}")
    post_delete.connect(pages_changed, sender=_sender, dispatch_uid=f"forecasts-gone-{_sender}")
m2m_changed.connect(pages_changed, sender=Judgment.countries.through, dispatch_uid="fc-m2m")
