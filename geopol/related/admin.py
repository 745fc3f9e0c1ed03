"""Editors pin or hide analyses in an article's Connected Content: on the article's admin page
(an inline) or from the list of choices."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count

from geopol.articles.admin import ArticleAdmin
from geopol.related.models import Curation, Storyline, StorylineArticle
from geopol.related.receivers import forget_all
from geopol.related.storylines import merge


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


class StorylineArticleInline(admin.TabularInline):
    model = StorylineArticle
    extra = 0
    fields = ["article", "by_editor", "removed"]
    raw_id_fields = ["article"]
    verbose_name_plural = (
        "Analyses (tick 'removed' to take one out for good; add one with 'by editor' ticked "
        "to keep it here)"
    )


@admin.register(Storyline)
class StorylineAdmin(admin.ModelAdmin):
    list_display = ["name", "pinned", "named_by_editor", "size"]
    list_editable = ["pinned"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StorylineArticleInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("links"))

    @admin.display(description="analyses", ordering="n")
    def size(self, obj: Storyline) -> int:
        return obj.n  # type: ignore[attr-defined]

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            obj.named_by_editor = True  # the machine keeps an editor's name
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge the selected storylines (into the oldest)")
    def merge_selected(self, request, queryset):
        chosen = list(queryset.order_by("created_at", "pk"))
        if len(chosen) < 2:
            self.message_user(request, "Pick two or more storylines to merge.", messages.WARNING)
            return
        into = merge(chosen)
        forget_all()
        self.message_user(request, f"Merged {len(chosen)} storylines into “{into.name}”.")
