"""The desk's forms: the piece (text and record), a workflow move, a comment, key judgments."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from geopol.articles.editing import Draft
from geopol.articles.models import Access, Article, ArticleType
from geopol.articles.services import check_countries
from geopol.core import estimative


def _names(value: str) -> list[str]:
    return [n.strip() for n in value.split(",") if n.strip()]


class PieceForm(forms.Form):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"class": "desk-title"}))
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "desk-body", "spellcheck": "true"}),
        help_text="Markdown. A paragraph of only {{figure KEY}} places that figure.",
    )
    teaser = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What everyone sees, members-only pieces included; blank: the first paragraph.",
    )
    type = forms.ChoiceField(choices=ArticleType.choices, initial=ArticleType.ANALYSIS)
    access = forms.ChoiceField(choices=Access.choices, initial=Access.PUBLIC)
    published_at = forms.DateTimeField(
        required=False,
        label="Publication time (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    authors = forms.CharField(required=False, help_text="Names, separated by commas.")
    topics = forms.CharField(required=False, help_text="Names, separated by commas.")
    countries = forms.CharField(
        required=False,
        help_text="ISO codes, separated by commas; the first is the primary country "
        "(the machine adds the ones it reads).",
    )

    def clean_body(self) -> str:
        return self.cleaned_data.get("body", "").replace("\r\n", "\n")  # browsers send CRLF

    def clean_countries(self) -> list[str]:
        codes = [c.upper() for c in _names(self.cleaned_data.get("countries", ""))]
        unknown = check_countries(codes)
        if unknown:
            raise forms.ValidationError(
                f"{', '.join(unknown)}: not ISO 3166-1 alpha-2 codes (write ML, FR, US...)"
            )
        return codes

    def draft(self) -> Draft:
        data = self.cleaned_data
        when = data.get("published_at")
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when, dt.UTC)
        return Draft(
            title=data["title"],
            body=data.get("body", ""),
            teaser=data.get("teaser", ""),
            type=data["type"],
            access=data["access"],
            published_at=when,
            authors=_names(data.get("authors", "")),
            topics=_names(data.get("topics", "")),
            countries=data["countries"],
        )

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        codes = article.country_links.filter(by_editor=True).order_by("position")
        return {
            "title": article.title,
            "body": article.body,
            "teaser": article.teaser,
            "type": article.type,
            "access": article.access,
            "published_at": article.published_at.astimezone(dt.UTC).replace(tzinfo=None),
            "authors": ", ".join(a.name for a in article.authors.all()),
            "topics": ", ".join(t.name for t in article.topics.all()),
            "countries": ", ".join(codes.values_list("country_id", flat=True)),
        }


class StartForm(forms.Form):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"class": "desk-title"}))
    type = forms.ChoiceField(choices=ArticleType.choices, initial=ArticleType.ANALYSIS)


class MoveForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    when = forms.DateTimeField(
        required=False,
        label="Publication time (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def when_utc(self) -> dt.datetime | None:
        when = self.cleaned_data.get("when")
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when, dt.UTC)
        return when


LIKELIHOOD_CHOICES = [("", "-")] + [
    (t.key, f"{t.key} ({t.band_label})") for t in estimative.terms()
]
CONFIDENCE_CHOICES = [("", "-"), ("low", "low"), ("moderate", "moderate"), ("high", "high")]


class JudgmentForm(forms.Form):
    statement = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    likelihood = forms.ChoiceField(required=False, choices=LIKELIHOOD_CHOICES)
    probability = forms.FloatField(required=False, min_value=0, max_value=1)
    confidence = forms.ChoiceField(required=False, choices=CONFIDENCE_CHOICES)
    resolves_by = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    criteria = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("statement") or "").strip():
            return data  # an empty row is left out
        term = estimative.term(data.get("likelihood") or "")
        if term is None:
            self.add_error("likelihood", "choose the ICD 203 likelihood term")
            return data
        probability = data.get("probability")
        if probability is not None:
            problem = estimative.band_problem(term.key, probability)
            if problem:
                self.add_error("probability", problem)
        return data


JudgmentFormSet = forms.formset_factory(JudgmentForm, extra=1, max_num=50)


LAYERS_EXAMPLE = """{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "Held by the rebels", "fill": "#b5651d"},
   "geometry": {"type": "Polygon", "coordinates": [[[-4.2, 14.9], [-3.5, 14.9], [-3.5, 15.4],
   [-4.2, 15.4], [-4.2, 14.9]]]}}
]}"""


class ImageFigureForm(forms.Form):
    image = forms.FileField(
        help_text="PNG, JPEG, GIF or WebP, up to 5 MB, 50 to 10,000 px a side; read from the "
        "file itself, whatever its name."
    )
    caption = forms.CharField(max_length=300)
    alt = forms.CharField(
        max_length=300,
        label="Alt text",
        help_text="What the image shows, for readers who cannot see it.",
    )
    credit = forms.CharField(max_length=200, required=False)
    key = forms.SlugField(max_length=60, required=False, help_text="Blank: made from the caption.")


class MapFigureForm(forms.Form):
    caption = forms.CharField(max_length=300)
    key = forms.SlugField(
        max_length=60,
        required=False,
        help_text="Blank: made from the caption. An existing key replaces that figure.",
    )
    layers = forms.CharField(
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "class": "desk-layers", "spellcheck": "false", "wrap": "off"}
        ),
        help_text="Optional GeoJSON FeatureCollection drawn over the piece's places: Polygons "
        '(areas, "fill"), LineStrings ("style": "front", "arrow": true) and Points, each with '
        'a "name" or "legend". Blank: the places and countries alone.',
    )

    def clean_layers(self) -> str:
        return self.cleaned_data.get("layers", "").replace("\r\n", "\n")
