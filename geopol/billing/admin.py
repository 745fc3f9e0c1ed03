from django.contrib import admin

from geopol.billing.models import Plan, StripeEvent, Subscription


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "interval", "price_cents", "currency", "active", "position"]
    list_editable = ["active", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["stripe_subscription", "user", "plan", "seats", "paid_until", "ended_at"]
    search_fields = ["stripe_subscription", "stripe_customer", "user__email"]
    raw_id_fields = ["user", "organization"]
    readonly_fields = ["created_at"]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "created", "handled", "outcome"]
    list_filter = ["type", "handled"]
    search_fields = ["event_id", "waiting_for"]

    def has_add_permission(self, request):
        return False
