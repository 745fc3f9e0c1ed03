"""What the machine extracted, where editors confirm, remove or add it."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from geopol.articles.admin import ArticleAdmin, ReindexingAdmin
from geopol.extraction.models import Actor, ArticleEntity, Decision, Event
from geopol.extraction.services import complete_entity


class EntityFormSet(BaseInlineFormSet):
    """An editor's decisions on the machine's tags: an added tag is the editor's own and
    confirmed; deleting the machine's proposal means "not this", remembered so the next
    extraction does not propose it again."""

    def save(self, commit: bool = True) -> list[ArticleEntity]:
        entities = super().save(commit=False)
        for entity in entities:
            if entity.pk is None:
                entity.by_editor = True
                entity.decision = Decision.CONFIRMED
            complete_entity(entity)
            entity.save()
        for removed in self.deleted_objects:
            if removed.by_editor:
                removed.delete()
            else:
                removed.decision = Decision.REMOVED
                removed.save(update_fields=["decision"])
        return entities


class ArticleEntityInline(admin.TabularInline):
    model = ArticleEntity
    formset = EntityFormSet
    extra = 0
    fields = ["kind", "key", "name", "written_as", "primary", "mentions", "decision", "by_editor"]
    readonly_fields = ["written_as", "mentions", "by_editor"]
    verbose_name = "place, country or actor"
    verbose_name_plural = (
        "Places, countries and actors (proposed by the machine: confirm or remove; add "
        "your own with the ISO code, geonames:ID or actor slug as key)"
    )


ArticleAdmin.contribute_inline(ArticleEntityInline)


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


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The dated events the machine read in each article: rewritten whenever its text
    changes, so there is nothing to edit here; correct the text instead."""

    list_display = ["date", "precision", "text", "article"]
    list_select_related = ["article"]
    list_filter = ["precision"]
    search_fields = ["text", "sentence", "article__title"]
    date_hierarchy = "date"
    readonly_fields = ["article", "date", "precision", "text", "sentence", "position", "entities"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
