import pytest

from geopol.billing.tests.stripe_fakes import WEBHOOK_SECRET, local_stripe  # noqa: F401


@pytest.fixture
def post_event(client, settings, django_capture_on_commit_callbacks):
    """POST an event to the webhook, signed with the endpoint secret."""
    import json

    from django.urls import reverse

    from geopol.billing.tests.stripe_fakes import sign

    settings.GEOPOL_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET

    def post(event, *, signature=None):
        body = json.dumps(event)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("stripe-webhook"),
                body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(body),
            )

    return post
