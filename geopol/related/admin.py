"""Editors pin or hide analyses in an article's Connected Content: on the article's admin page
(an inline) or from the list of choices."""

from __future__ import annotations

from django.contrib import admin

from geopol.articles.admin import ArticleAdmin
from geopol.related.models import Curation


class CurationInline(admin.TabularInline):
    model = Curation
    fk_name = "article"
    extra = 0
    fields = ["target", "action", "note", "position"]
    raw_id_fields = ["target"]
    verbose_name = "Connected Content choice"
    verbose_name_plural = (
        "Connected Content: pin an analysis (shown first) or hide one (never shown); "
        "the rest is chosen by the machine"
    )


ArticleAdmin.contribute_inline(CurationInline)


@admin.register(Curation)
class CurationAdmin(admin.ModelAdmin):
    list_display = ["article", "action", "target", "note", "position"]
    list_filter = ["action"]
    list_select_related = ["article", "target"]
    search_fields = ["article__title", "target__title"]
    raw_id_fields = ["article", "target"]
