"""What the machine extracted, where editors confirm, remove or add it."""

from __future__ import annotations

from django.contrib import admin

from geopol.articles.admin import ArticleAdmin, ReindexingAdmin
from geopol.articles.models import Article
from geopol.extraction.models import Actor, ArticleEntity, Decision
from geopol.extraction.services import complete_entity


class ArticleEntityInline(admin.TabularInline):
    model = ArticleEntity
    extra = 0
    fields = ["kind", "key", "name", "written_as", "primary", "mentions", "decision", "by_editor"]
    readonly_fields = ["written_as", "mentions", "by_editor"]
    verbose_name = "place, country or actor"
    verbose_name_plural = (
        "Places, countries and actors (proposed by the machine: confirm or remove; add "
        "your own with the ISO code, geonames:ID or actor slug as key)"
    )


class TaggedArticleAdmin(ArticleAdmin):
    inlines = [*ArticleAdmin.inlines, ArticleEntityInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is ArticleEntity:
            for entity in formset.save(commit=False):
                if entity.pk is None:
                    entity.by_editor = True
                    entity.decision = Decision.CONFIRMED
                complete_entity(entity)
                entity.save()
            for removed in formset.deleted_objects:
                if removed.by_editor:
                    removed.delete()
                else:
                    # deleting the machine's proposal means "not this": remember it, or the
                    # next extraction would propose it again
                    removed.decision = Decision.REMOVED
                    removed.save(update_fields=["decision"])
            return
        super().save_formset(request, form, formset, change)


admin.site.unregister(Article)
admin.site.register(Article, TaggedArticleAdmin)


@admin.register(Actor)
class ActorAdmin(ReindexingAdmin):
    list_display = ["name", "kind", "home", "acronym_list"]
    list_select_related = ["home"]
    list_filter = ["kind", "home__region"]
    search_fields = ["name", "slug", "aliases", "acronyms"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["home", "countries"]

    @admin.display(description="acronyms")
    def acronym_list(self, obj: Actor) -> str:
        return ", ".join(obj.acronyms)

    article_lookup = "entities__actor"


@admin.register(ArticleEntity)
class ArticleEntityAdmin(ReindexingAdmin):
    """An editor's decision on one tag (also from the list) reaches search at once."""

    list_display = ["name", "kind", "article", "primary", "mentions", "decision", "by_editor"]
    list_select_related = ["article"]
    list_filter = ["kind", "decision", "by_editor"]
    search_fields = ["name", "key", "article__title"]
    list_editable = ["decision"]
    raw_id_fields = ["article", "actor"]
    article_lookup = "entities"
    refreshes_suggestions = False
