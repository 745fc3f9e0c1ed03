from django.contrib import admin

from geopol.geo.models import Country, Place, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    ordering = ["position"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "alpha3", "region", "m49_subregion"]
    list_filter = ["region"]
    search_fields = ["name", "official_name", "code", "alpha3"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "feature_code", "population", "source", "lat", "lon"]
    list_filter = ["source", "feature_class", "country__region"]
    search_fields = ["name", "ascii_name", "alternate_names", "=geonames_id"]
    autocomplete_fields = ["country"]
    fields = [
        "name",
        "alternate_names",
        ("lat", "lon"),
        "country",
        "admin1",
        ("feature_class", "feature_code"),
        "population",
        "source",
        "geonames_id",
    ]
