"""Key judgments in the back office: entered with their article (an inline on the article's
page) or on their own, and resolved on their own page (outcome, note, link), which emails
the followers of their countries."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from geopol.articles.models import Article
from geopol.core import estimative
from geopol.forecasts import services
from geopol.forecasts.models import ForecastFollow, Judgment


class JudgmentForm(forms.ModelForm):
    resolution_link = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Resolution link"
    )

    class Meta:
        model = Judgment
        fields = [
            "article",
            "statement",
            "likelihood",
            "probability",
            "confidence",
            "resolves_by",
            "criteria",
            "countries",
            "actors",
            "outcome",
            "resolution_note",
            "resolution_link",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "probability" in self.fields:
            self.fields["probability"].required = False

    def clean(self) -> dict:
        data = super().clean()
        term = estimative.term(data.get("likelihood") or "")
        if term is None:
            return data
        probability = data.get("probability")
        if probability is None:
            data["probability"] = term.midpoint
            self.instance.probability_given = False
        else:
            problem = estimative.band_problem(term.key, probability)
            if problem:
                self.add_error("probability", problem)
            self.instance.probability_given = True
        return data


class JudgmentInline(admin.StackedInline):
    model = Judgment
    form = JudgmentForm
    extra = 0
    fields = [
        "statement",
        ("likelihood", "probability", "confidence", "resolves_by"),
        "criteria",
        "countries",
        "outcome_link",
    ]
    readonly_fields = ["outcome_link"]
    autocomplete_fields = ["countries"]
    verbose_name = "key judgment"
    verbose_name_plural = "Key judgments (ICD 203 likelihood; resolve each on its own page)"

    @admin.display(description="Outcome")
    def outcome_link(self, obj: Judgment) -> str:
        if obj.pk is None:
            return "open (resolve it once saved)"
        return format_html(
            '{} · <a href="{}">resolve</a>',
            obj.get_outcome_display(),
            f"/admin/forecasts/judgment/{obj.pk}/change/",
        )


@admin.register(Judgment)
class JudgmentAdmin(admin.ModelAdmin):
    form = JudgmentForm
    list_display = [
        "id",
        "short_statement",
        "article",
        "likelihood",
        "probability",
        "confidence",
        "resolves_by",
        "outcome",
    ]
    list_filter = ["outcome", "likelihood", "confidence", "resolves_by"]
    search_fields = ["statement", "article__title", "=id"]
    autocomplete_fields = ["article", "countries", "actors"]
    readonly_fields = ["resolved_at", "resolved_by", "probability_given"]
    date_hierarchy = "resolves_by"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "article",
                    "statement",
                    ("likelihood", "probability", "probability_given"),
                    "confidence",
                    "resolves_by",
                    "criteria",
                    "countries",
                    "actors",
                ]
            },
        ),
        (
            "Resolution",
            {
                "fields": [
                    "outcome",
                    "resolution_note",
                    "resolution_link",
                    ("resolved_at", "resolved_by"),
                ],
                "description": "True, false or annulled (annulled judgments are not scored). "
                "Followers of the judgment's countries get an email.",
            },
        ),
    ]

    @admin.display(description="Statement")
    def short_statement(self, obj: Judgment) -> str:
        return obj.statement[:90] + ("…" if len(obj.statement) > 90 else "")

    def save_model(self, request, obj: Judgment, form, change: bool) -> None:
        outcome = obj.outcome
        resolution_changed = {"outcome", "resolution_note", "resolution_link"} & set(
            form.changed_data
        )
        if change and resolution_changed:
            obj.outcome = form.initial.get("outcome", obj.outcome)
            super().save_model(request, obj, form, change)
            services.resolve_judgment(
                obj, outcome, obj.resolution_note, obj.resolution_link, editor=request.user
            )
        else:
            super().save_model(request, obj, form, change)
            if not change and outcome != "open":
                obj.outcome = "open"
                services.resolve_judgment(
                    obj, outcome, obj.resolution_note, obj.resolution_link, editor=request.user
                )


@admin.register(ForecastFollow)
class ForecastFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "created_at"]
    autocomplete_fields = ["country"]
    raw_id_fields = ["user"]


# the article admin as the apps below left it (extraction's tags inline), plus judgments
_ArticleAdmin = type(admin.site.get_model_admin(Article))


class JudgedArticleAdmin(_ArticleAdmin):  # type: ignore[valid-type, misc]
    inlines = [*_ArticleAdmin.inlines, JudgmentInline]


admin.site.unregister(Article)
admin.site.register(Article, JudgedArticleAdmin)
