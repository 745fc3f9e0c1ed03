from django.contrib import admin

from geopol.members.models import Membership, MeteredRead, Organization, Seat


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "starts_at", "ends_at", "reference"]
    list_filter = ["plan"]
    search_fields = ["user__email", "reference"]
    autocomplete_fields = ["user"]
    date_hierarchy = "starts_at"


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 1
    fields = ["email", "user", "is_admin", "accepted_at"]
    readonly_fields = ["accepted_at"]
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "seat_limit", "seats_taken", "access_until"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SeatInline]


@admin.register(MeteredRead)
class MeteredReadAdmin(admin.ModelAdmin):
    list_display = ["user", "article", "month", "opened_at"]
    list_filter = ["month"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "article"]
