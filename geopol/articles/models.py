from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from geopol.articles import changes
from geopol.core.text import reading_label
from geopol.core.timefmt import dateline
from geopol.geo.models import Country, Region


class ArticleType(models.TextChoices):
    ANALYSIS = "analysis", "Analysis"
    ASSESSMENT = "assessment", "Assessment"
    SITUATION_REPORT = "situation-report", "Situation Report"
    FORECAST = "forecast", "Forecast"
    COLUMN = "column", "Column"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


# What readers may see, the one definition: an article published, or scheduled once its time
# has come (no cron job involved). LISTED are the statuses that can be seen (the search index
# holds them, and a scheduled article is filtered by time at query time).
LISTED = (Status.PUBLISHED, Status.SCHEDULED)


def visible_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """The articles readers may see at `now`, as a filter; `prefix` is the path to the
    article from another model ("article__")."""
    return Q(**{f"{prefix}status__in": LISTED, f"{prefix}published_at__lte": now or timezone.now()})


def is_visible(status: str, published_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    """visible_q for one article's values."""
    return status in LISTED and published_at <= (now or timezone.now())


def shown_status(status: str, published_at: dt.datetime, now: dt.datetime | None = None) -> str:
    """The status as it is true now: a scheduled article whose time has come is published
    (it is visible, visible_q), so it reads "Published", never "Scheduled"."""
    if status == Status.SCHEDULED and published_at <= (now or timezone.now()):
        return Status.PUBLISHED
    return status


class Access(models.TextChoices):
    PUBLIC = "public", "Public"
    REGISTERED = "registered", "Registered readers"
    MEMBERS = "members", "Members only"


class Author(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author", args=[self.slug])


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic", args=[self.slug])


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self, now: dt.datetime | None = None) -> ArticleQuerySet:
        """What readers can find: published, or scheduled and due (see visible_q)."""
        return self.filter(visible_q(now))

    def newest(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-id")

    def with_country_links(self) -> ArticleQuerySet:
        """Country tags (with countries and regions) in one query for the whole page, for
        `Article.ordered_countries`."""
        links = ArticleCountry.objects.select_related("country__region")
        return self.prefetch_related(models.Prefetch("country_links", queryset=links))

    def for_listing(self) -> ArticleQuerySet:
        return self.prefetch_related("authors", "countries").defer("body", "body_html")

    def _tagged(self, links: Q) -> ArticleQuerySet:
        """Articles with a matching country tag, the machine's included: a piece's countries
        are what it is about, public metadata even when its body is not (docs/members.md)."""
        tagged = ArticleCountry.objects.filter(links)
        return self.filter(pk__in=tagged.values("article_id"))

    def in_region(self, region: Region) -> ArticleQuerySet:
        return self._tagged(Q(country__region=region))

    def in_country(self, country: Country) -> ArticleQuerySet:
        return self._tagged(Q(country=country))

    def connected_to(
        self, article: Article, limit: int = 5, codes: Iterable[str] | None = None
    ) -> list[Article]:
        """Other published articles sharing the most countries with `article`, then newest;
        each with `shared`, the number of countries in common. `codes`: the countries to
        match (default: all of the article's tags).

        Two steps, so that ranking never reads an article's row: the candidates are ranked
        from the (country, article) index and the (id, status, published_at) index alone,
        then only the winners are loaded (without their bodies)."""
        codes = (
            list(article.country_links.values_list("country_id", flat=True))
            if codes is None
            else list(codes)
        )
        if not codes:
            return []
        tagged = ArticleCountry.objects.filter(country_id__in=codes)
        shared = (
            tagged.filter(article_id=models.OuterRef("pk"))
            .values("article_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        ranked = dict(
            self.published()
            .filter(pk__in=tagged.values("article_id"))
            .exclude(pk=article.pk)
            .annotate(shared=models.Subquery(shared))
            .order_by("-shared", "-published_at", "-id")
            .values_list("pk", "shared")[:limit]
        )
        found = {a.pk: a for a in self.filter(pk__in=ranked).defer("body", "body_html")}
        connected = []
        for pk, n in ranked.items():
            if pk in found:
                found[pk].shared = n  # type: ignore[attr-defined]
                connected.append(found[pk])
        return connected


class Article(models.Model):
    # Identity for idempotent import: the source URL, or a hash of title and date.
    source_key = models.CharField(max_length=300, unique=True, editable=False)
    source_url = models.URLField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64, editable=False, blank=True)

    type = models.CharField(max_length=20, choices=ArticleType, default=ArticleType.ANALYSIS)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    teaser = models.TextField(
        blank=True,
        help_text="What everyone sees, members-only articles included. "
        "Left blank, the first paragraph is used.",
    )
    body = models.TextField(
        help_text="Markdown. A paragraph of only {{figure ID}} places that figure."
    )
    body_html = models.TextField(editable=False, blank=True)
    summary = models.TextField(editable=False, blank=True)  # the teaser, or the first paragraph
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)

    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="UTC. With status Scheduled the article appears by itself at this moment.",
    )
    access = models.CharField(max_length=12, choices=Access, default=Access.PUBLIC)

    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    countries: models.ManyToManyField[Country, ArticleCountry] = models.ManyToManyField(
        Country, through="ArticleCountry", blank=True, related_name="articles"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # covers "is it published?" for a row found by id without reading the row (whose
            # body comes first and spills into overflow pages): Connected Content ranks
            # thousands of candidates this way
            models.Index(fields=["id", "status", "published_at"], name="article_listed"),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and retract articles"),
            ("read_members", "Can read members-only articles"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.slug])

    def delete(self, *args, **kwargs):
        # the article and the rows deleted with it make one change
        with changes.collect("delete"):
            return super().delete(*args, **kwargs)

    @property
    def dateline(self) -> str:
        return dateline(self.published_at)

    @property
    def reading_label(self) -> str:
        return reading_label(self.reading_minutes)

    @property
    def is_visible(self) -> bool:
        return is_visible(self.status, self.published_at)

    @property
    def shown_status(self) -> str:
        return shown_status(self.status, self.published_at)

    def get_shown_status_display(self) -> str:
        return Status(self.shown_status).label

    def ordered_countries(self) -> list[Country]:
        """Primary countries first, then the ones merely mentioned; each with is_primary.
        Every reader is shown them, machine-found ones included (they say what the piece is
        about; its places and actors found in the body stay with the body)."""
        if "country_links" in getattr(self, "_prefetched_objects_cache", {}):  # a listing's
            links = sorted(self.country_links.all(), key=lambda k: (not k.primary, k.position))
        else:
            links = list(
                self.country_links.select_related("country__region").order_by(
                    "-primary", "position"
                )
            )
        countries = []
        for link in links:
            link.country.is_primary = link.primary  # type: ignore[attr-defined]
            countries.append(link.country)
        return countries

    @staticmethod
    def regions_of(countries: list[Country]) -> list[Region]:
        """The regions of the primary countries among `countries` (ordered_countries()), or
        of all of them when none is primary."""
        primary = [c for c in countries if c.is_primary] or countries  # type: ignore[attr-defined]
        seen: dict[int, Region] = {}
        for country in primary:
            seen.setdefault(country.region_id, country.region)
        return list(seen.values())


class ArticleCountry(models.Model):
    """An article's country tag; position 0 is the primary country."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="country_links")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="article_links")
    position = models.PositiveSmallIntegerField(default=0)
    primary = models.BooleanField(default=True)
    by_editor = models.BooleanField(
        default=True, help_text="Set by an editor or the source file, not found by the machine."
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "country"], name="one_tag_per_country")
        ]
        # the articles tagged with a country, read from the index alone (Connected Content)
        indexes = [models.Index(fields=["country", "article"], name="tag_country_article")]
        verbose_name = "country tag"

    def __str__(self) -> str:
        return f"{self.country_id} on {self.article_id}"


class FigureKind(models.TextChoices):
    MAP = "map", "Map"
    IMAGE = "image", "Image"


class Figure(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    key = models.SlugField(
        max_length=60, help_text="Place it in the body with a paragraph {{figure KEY}}."
    )
    kind = models.CharField(max_length=10, choices=FigureKind, default=FigureKind.MAP)
    caption = models.CharField(max_length=300)
    src = models.CharField("image URL or path", max_length=500, blank=True)
    alt = models.CharField("alt text", max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    layers = models.JSONField(
        null=True,
        blank=True,
        help_text="Map figures: authored GeoJSON (a FeatureCollection) drawn over the places: "
        "areas of control, front lines, arrows, points. Properties: name, legend, fill, style, "
        "arrow.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="one_figure_per_key")
        ]

    def __str__(self) -> str:
        return self.caption

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from geopol.geo.maplayers import validate_layers

        if self.layers is not None:
            problems = validate_layers(self.layers)
            if problems:
                raise ValidationError({"layers": problems[:5]})


class Revision(models.Model):
    """A snapshot of an article taken every time it is saved."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField(max_length=40, help_text="admin, import, ...")
    note = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300)
    teaser = models.TextField(blank=True)
    body = models.TextField()
    status = models.CharField(max_length=12, choices=Status)
    access = models.CharField(max_length=12, choices=Access)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"
