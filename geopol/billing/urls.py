from django.urls import path

from geopol.billing import views

urlpatterns = [
    path("membership/", views.membership, name="membership"),
    path("billing/checkout/<slug:slug>/", views.checkout, name="billing-checkout"),
    path("billing/portal/", views.portal, name="billing-portal"),
    path("billing/stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
]
