from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from geopol.members.models import ApiKey, Membership, MeteredRead, Organization, Seat


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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["plan", "starts_at", "ends_at", "reference"]


class UserSeatInline(admin.TabularInline):
    model = Seat
    fk_name = "user"
    extra = 0
    fields = ["organization", "email", "is_admin", "accepted_at"]
    readonly_fields = ["accepted_at"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    """Django's user admin with the reader's tier, memberships and seats."""

    inlines = [*UserAdmin.inlines, MembershipInline, UserSeatInline]
    list_display = ["email", "username", "tier", "is_staff", "date_joined", "last_login"]

    @admin.display(description="tier")
    def tier(self, user) -> str:
        from geopol.members.tiers import tier_of

        return tier_of(user).label


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Staff see and revoke keys; nobody sees a key again after it was created."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False  # made by their owners, who see the key once
