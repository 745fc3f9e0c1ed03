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
