from django.contrib import admin

from geopol.geo.models import Country, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    ordering = ["position"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "alpha3", "region", "m49_subregion"]
    list_filter = ["region"]
    search_fields = ["name", "official_name", "code", "alpha3"]
