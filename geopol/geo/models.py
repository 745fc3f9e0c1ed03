from __future__ import annotations

from django.db import models
from django.urls import reverse


class RegionQuerySet(models.QuerySet["Region"]):
    def navigation(self) -> RegionQuerySet:
        return self.order_by("position")


class Region(models.Model):
    """An analytic region (Sub-Saharan Africa, Eurasia...): a group of countries with a page."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("region", args=[self.slug])


class Country(models.Model):
    """An ISO 3166-1 country or territory."""

    code = models.CharField("ISO alpha-2", max_length=2, primary_key=True)
    alpha3 = models.CharField("ISO alpha-3", max_length=3, unique=True)
    numeric = models.CharField("ISO numeric", max_length=3)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    m49_subregion = models.CharField("UN M49 sub-region", max_length=60, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("country", args=[self.slug])


class PlaceQuerySet(models.QuerySet["Place"]):
    def for_gazetteer(self) -> PlaceQuerySet:
        return self.only(
            "geonames_id",
            "name",
            "ascii_name",
            "alternate_names",
            "lat",
            "lon",
            "country_id",
            "admin1",
            "feature_code",
            "population",
            "source",
        )


class Place(models.Model):
    """A place the built-in gazetteer lacks: loaded from a GeoNames dump, or added by an editor."""

    class Source(models.TextChoices):
        GEONAMES = "geonames", "GeoNames dump"
        CUSTOM = "custom", "Added by an editor"

    geonames_id = models.BigIntegerField(null=True, blank=True, unique=True)
    name = models.CharField(max_length=200)
    ascii_name = models.CharField(max_length=200, blank=True)
    alternate_names = models.TextField(
        blank=True, help_text="Other names and spellings, one per line."
    )
    lat = models.FloatField("latitude")
    lon = models.FloatField("longitude")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="places")
    admin1 = models.CharField("admin-1 code", max_length=20, blank=True)
    feature_class = models.CharField(max_length=1, blank=True)
    feature_code = models.CharField(max_length=10, blank=True)
    population = models.BigIntegerField(default=0)
    source = models.CharField(max_length=10, choices=Source, default=Source.CUSTOM)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id})"

    def names(self) -> list[str]:
        found = [self.name, self.ascii_name, *self.alternate_names.splitlines()]
        return [n.strip() for n in dict.fromkeys(found) if n and n.strip()]
