"""The editorial back office: write, tag, preview, schedule, publish, retract, see revisions."""

from __future__ import annotations

import uuid

from django.contrib import admin, messages
from django.db import router, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from geopol.articles import changes
from geopol.articles.changes import Aspect
from geopol.articles.models import Article, ArticleCountry, Author, Figure, Revision, Status, Topic
from geopol.articles.search import refresh_suggestions
from geopol.articles.services import record_revision, render_article, restore_revision


class ArticleCountryInline(admin.TabularInline):
    model = ArticleCountry
    extra = 1
    autocomplete_fields = ["country"]
    verbose_name_plural = "Countries (the first is the primary country)"


class FigureInline(admin.StackedInline):
    model = Figure
    extra = 0
    fields = [("key", "kind", "position"), "caption", ("src", "alt"), "credit", "layers"]


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = ["number", "created_at", "editor", "source", "note", "status", "title"]
    readonly_fields = fields
    classes = ["collapse"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class RegionFilter(admin.SimpleListFilter):
    title = "region"
    parameter_name = "region"

    def lookups(self, request, model_admin):
        from geopol.geo.models import Region

        return [(r.slug, r.name) for r in Region.objects.navigation()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(countries__region__slug=self.value()).distinct()
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "type",
        "status_label",
        "access",
        "published_at",
        "primary_country",
        "reading_minutes",
    ]
    list_filter = [
        "status",
        "type",
        "access",
        RegionFilter,
        "topics",
        "authors",
        ("published_at", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "teaser", "body", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "topics"]
    readonly_fields = ["preview_link", "word_count", "reading_minutes", "source_url", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "type", "teaser", "body"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "access", "preview_link"],
                "description": "Scheduled articles appear by themselves at their "
                "publication time (UTC); no cron job is needed.",
            },
        ),
        ("People and topics", {"fields": ["authors", "topics"]}),
        (
            "Facts",
            {
                "fields": ["word_count", "reading_minutes", "source_url", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [ArticleCountryInline, FigureInline, RevisionInline]
    actions = ["publish_now", "schedule", "send_to_review", "retract"]
    list_per_page = 50
    # inlines the apps above add (the geoparser's places and actors), after these
    contributed_inlines: list[type[admin.options.InlineModelAdmin]] = []

    @classmethod
    def contribute_inline(cls, inline: type[admin.options.InlineModelAdmin]) -> None:
        """Show `inline` on the article form (from the contributing app's admin.py); its
        formset saves itself (give it a `formset` class for saving of its own)."""
        if inline not in cls.contributed_inlines:
            cls.contributed_inlines.append(inline)

    def get_inlines(self, request, obj):
        return [*self.inlines, *self.contributed_inlines]

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Article) -> str:
        if obj.status == Status.SCHEDULED and obj.published_at > timezone.now():
            return f"Scheduled for {obj.dateline}"
        return obj.get_shown_status_display()  # a scheduled piece now due reads Published

    def get_queryset(self, request):
        # the changelist's country column from one query per page, not one per row
        links = ArticleCountry.objects.select_related("country").order_by("position")
        return super().get_queryset(request).prefetch_related(Prefetch("country_links", links))

    @admin.display(description="primary country")
    def primary_country(self, obj: Article) -> str:
        link = next(iter(obj.country_links.all()), None)
        return link.country.name if link else "-"

    @admin.display(description="preview")
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return "Save to preview."
        return format_html(
            '<a href="{}" target="_blank">Open the page as readers will see it</a>',
            reverse("article-preview", args=[obj.pk]),
        )

    def view_on_site(self, obj: Article) -> str:
        return reverse("article-preview", args=[obj.pk])

    def changeform_view(self, request, *args, **kwargs):
        # the article, its inlines and its rendering: one change, in the form's transaction
        with transaction.atomic(using=router.db_for_write(self.model)), changes.collect("admin"):
            return super().changeform_view(request, *args, **kwargs)

    def delete_queryset(self, request, queryset):
        with changes.collect("admin"):
            super().delete_queryset(request, queryset)

    def save_model(self, request, obj: Article, form, change):
        if not obj.source_key:
            obj.source_key = f"admin:{uuid.uuid4().hex}"
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        render_article(article)
        record_revision(
            article, source="admin", editor=request.user, note="edited" if change else "created"
        )

    def _transition(self, request, queryset, status: str, verb: str, **extra) -> None:
        with transaction.atomic(), changes.collect("admin"):  # a bulk action: one change
            for article in queryset:
                article.status = status
                for key, value in extra.items():
                    setattr(article, key, value)
                article.save()
                render_article(article)
                record_revision(article, source="admin", editor=request.user, note=verb)
        self.message_user(request, f"{queryset.count()} article(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish now", permissions=["change"])
    def publish_now(self, request, queryset):
        self._transition(
            request, queryset, Status.PUBLISHED, "published", published_at=timezone.now()
        )

    @admin.action(description="Schedule at their publication time", permissions=["change"])
    def schedule(self, request, queryset):
        self._transition(request, queryset, Status.SCHEDULED, "scheduled")

    @admin.action(description="Send to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self._transition(request, queryset, Status.REVIEW, "sent to review")

    @admin.action(description="Retract", permissions=["change"])
    def retract(self, request, queryset):
        self._transition(request, queryset, Status.RETRACTED, "retracted")


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "created_at", "editor", "source", "status"]
    list_select_related = ["article", "editor"]
    list_filter = ["source", "status"]
    search_fields = ["title", "article__title"]
    readonly_fields = [f.name for f in Revision._meta.fields]
    actions = ["restore"]

    def has_restore_permission(self, request) -> bool:
        return request.user.has_perm("articles.change_article")

    @admin.action(description="Restore the text of this revision", permissions=["restore"])
    def restore(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one revision to restore.", messages.ERROR)
            return
        revision = queryset.get()
        article = restore_revision(revision, editor=request.user)
        self.message_user(
            request,
            f"Restored revision {revision.number} of “{article.title}” as a new revision.",
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReindexingAdmin(admin.ModelAdmin):
    """For things search documents carry (an author's slug, a topic's, an actor's...): saving
    or deleting one reindexes the articles that name it and refreshes the completions.
    `article_lookup` is the Article query path to the object (e.g. "topics")."""

    article_lookup = ""
    refreshes_suggestions = True

    def articles_of(self, obj) -> list[Article]:
        return list(Article.objects.filter(**{self.article_lookup: obj}).distinct())

    def _reindex(self, articles: list[Article]) -> None:
        with changes.collect("admin"):
            for article in articles:
                changes.record(article.pk, Aspect.TAGS)
        if self.refreshes_suggestions:
            refresh_suggestions()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._reindex(self.articles_of(obj))

    def delete_model(self, request, obj):
        articles = self.articles_of(obj)
        super().delete_model(request, obj)
        self._reindex(articles)

    def delete_queryset(self, request, queryset):
        articles = [a for obj in queryset for a in self.articles_of(obj)]
        super().delete_queryset(request, queryset)
        self._reindex(articles)


@admin.register(Author)
class AuthorAdmin(ReindexingAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    article_lookup = "authors"


@admin.register(Topic)
class TopicAdmin(ReindexingAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    article_lookup = "topics"
