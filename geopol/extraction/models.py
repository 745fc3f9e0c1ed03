from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.urls import reverse

from geopol.articles.models import Article
from geopol.geo.models import Country


class ActorKind(models.TextChoices):
    ARMED_GROUP = "armed-group", "Armed group"
    STATE_FORCE = "state-force", "State force"
    MISSION = "mission", "Mission"
    IGO = "igo", "Intergovernmental organization"
    ALLIANCE = "alliance", "Alliance"
    POLITICAL_MOVEMENT = "political-movement", "Political movement"
    POLITICAL_PARTY = "political-party", "Political party"
    STATE_INSTITUTION = "state-institution", "State institution"
    PERSON = "person", "Person"


class Actor(models.Model):
    """An armed group, state force, mission, IGO, alliance or person the geoparser
    recognises (persons: kind "person", with roles and second-mention forms)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ActorKind)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names, matched when written as a name."
    )
    acronyms = models.JSONField(
        default=list, blank=True, help_text="Matched exactly, case and all (AQIM, AU)."
    )
    home = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="home_actors"
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="actors")
    note = models.CharField(max_length=300, blank=True)
    short_names = models.JSONField(
        default=list,
        blank=True,
        help_text="Persons: what a second mention says ('Assad'), matched after a full one.",
    )
    roles = models.JSONField(
        default=list, blank=True, help_text="Persons: offices, each {office, country, start, end}."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actor", args=[self.slug])

    @property
    def is_person(self) -> bool:
        return self.kind == ActorKind.PERSON

    def role_list(self) -> list[dict]:
        """Roles newest first, for the person page."""
        return sorted(self.roles, key=lambda r: (r.get("end") or 9999, r["start"]), reverse=True)

    def role_rows(self) -> list[dict]:
        """Roles newest first with their country and years in words (a range with an en dash,
        "since 2019"). Countries come from `countries`: prefetch it for a list."""
        by_code = {c.code: c for c in self.countries.all()}
        return [
            {
                "office": role["office"],
                "country": by_code.get(role["country"]),
                "code": role["country"],
                "years": role_years(role["start"], role.get("end")),
                "current": role.get("end") is None,
            }
            for role in self.role_list()
        ]


def role_years(start: int, end: int | None) -> str:
    if end is None:
        return f"since {start}"
    return str(start) if start == end else f"{start}–{end}"


class EntityKind(models.TextChoices):
    COUNTRY = "country", "Country"
    PLACE = "place", "Place"
    ACTOR = "actor", "Actor"


class Decision(models.TextChoices):
    PROPOSED = "proposed", "Proposed by the machine"
    CONFIRMED = "confirmed", "Confirmed"
    REMOVED = "removed", "Removed"


class ArticleEntityQuerySet(models.QuerySet["ArticleEntity"]):
    def kept(self) -> ArticleEntityQuerySet:
        return self.exclude(decision=Decision.REMOVED)


class ArticleEntity(models.Model):
    """A country, place or actor an article is about: proposed by the machine or an editor.

    Editors confirm, remove or add; their decision survives re-extraction.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entities")
    kind = models.CharField(max_length=10, choices=EntityKind)
    key = models.CharField(max_length=120, help_text="ISO code, geonames:ID, or the actor's slug.")
    name = models.CharField(max_length=200)
    written_as = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.SET_NULL)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.CASCADE)
    primary = models.BooleanField(default=False)
    mentions = models.PositiveIntegerField(default=0)
    by_editor = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision, default=Decision.PROPOSED)

    objects = ArticleEntityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-primary", "-mentions", "name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "kind", "key"], name="one_entity_per_key")
        ]
        indexes = [models.Index(fields=["kind", "key"])]
        verbose_name = "tag"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Mention(models.Model):
    """Where in the body an entity is named (start/end are offsets in the plain text)."""

    entity = models.ForeignKey(ArticleEntity, on_delete=models.CASCADE, related_name="spans")
    text = models.CharField(max_length=200)
    start = models.IntegerField(help_text="-1 when the mention is in the title")
    end = models.IntegerField()

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return self.text


class Precision(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class EventQuerySet(models.QuerySet["Event"]):
    def readable_by(self, tiers: Iterable[str]) -> EventQuerySet:
        """Events of published articles whose body readers of `tiers` (access levels, from
        articles.access.readable_tiers) may read: an event is a sentence of the body."""
        visible = Article.objects.published().filter(access__in=list(tiers))
        return self.filter(article__in=visible.values("pk"))

    def newest(self) -> EventQuerySet:
        return self.order_by("-date", "-article__published_at", "position")


class Event(models.Model):
    """A dated event of an article: a date its body writes (geopol/extraction/dates.py),
    resolved against its publication date, with the sentence and the places and actors
    that sentence names. Rewritten with the machine's tags whenever the text changes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(help_text="The day, the week's Monday, or the month's or year's 1st.")
    precision = models.CharField(max_length=5, choices=Precision)
    text = models.CharField(max_length=100, help_text="The date as written.")
    sentence = models.TextField()
    position = models.IntegerField(help_text="Where the date starts in the body's plain text.")
    anchor = models.DateField(help_text="The publication date the date was resolved against.")
    entities = models.ManyToManyField(ArticleEntity, blank=True, related_name="events")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        indexes = [models.Index(fields=["date"], name="event_date")]

    def __str__(self) -> str:
        return f"{self.date} ({self.precision}): {self.text}"

    @property
    def shown_entities(self) -> list[ArticleEntity]:
        """The places and actors the sentence names (kept tags; prefetch `entities`)."""
        return [
            e
            for e in self.entities.all()
            if e.decision != Decision.REMOVED and e.kind != EntityKind.COUNTRY
        ]

    @property
    def expected(self) -> bool:
        """After the article's publication: planned or forecast, not yet happened then."""
        published = self.article.published_at.date()
        if self.precision == Precision.DAY:
            return self.date > published
        if self.precision == Precision.MONTH:
            return (self.date.year, self.date.month) > (published.year, published.month)
        if self.precision == Precision.YEAR:
            return self.date.year > published.year
        return self.date > published
