"""What the billing tests use in place of Stripe's servers, which cannot run here: a small
local HTTP server answering the stripe library's API calls (and keeping what it was sent),
and webhook events signed with the endpoint secret as Stripe signs them."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

WEBHOOK_SECRET = "whsec_test_geopol_endpoint_secret"
SECRET_KEY = "sk_test_geopol_local"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class LocalStripe:
    """Answers POST /v1/checkout/sessions and POST /v1/billing_portal/sessions like Stripe
    does (an object with an id and a url); anything else is a 404 Stripe error."""

    calls: list[Call] = field(default_factory=list)
    url: str = ""

    def answer(self, call: Call) -> tuple[int, dict[str, Any]]:
        if call.method == "POST" and call.path == "/v1/checkout/sessions":
            n = len(self.calls)
            return 200, {
                "id": f"cs_test_{n}",
                "object": "checkout.session",
                "mode": call.params.get("mode"),
                "client_reference_id": call.params.get("client_reference_id"),
                "url": f"https://checkout.stripe.test/c/pay/cs_test_{n}",
            }
        if call.method == "POST" and call.path == "/v1/billing_portal/sessions":
            return 200, {
                "id": "bps_test_1",
                "object": "billing_portal.session",
                "customer": call.params.get("customer"),
                "return_url": call.params.get("return_url"),
                "url": "https://billing.stripe.test/p/session/bps_test_1",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "No such route"}}


def start_local_stripe() -> tuple[LocalStripe, ThreadingHTTPServer]:
    fake = LocalStripe()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            path, _, query = self.path.partition("?")
            call = Call(
                self.command, path, dict(parse_qsl(body or query)), dict(self.headers.items())
            )
            status, answer = fake.answer(call)
            fake.calls.append(call)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_local")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server


def sign(body: str, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """The Stripe-Signature header for `body`: t=timestamp,v1=HMAC-SHA256 of "t.body"."""
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


_ids = itertools.count(1)


def event(kind: str, obj: dict[str, Any], *, created: int | None = None) -> dict[str, Any]:
    return {
        "id": f"evt_test_{next(_ids)}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()) if created is None else created,
        "type": kind,
        "data": {"object": obj},
    }


def checkout_completed(user_id: int, subscription: str, customer: str = "cus_1") -> dict:
    return event(
        "checkout.session.completed",
        {
            "id": f"cs_{subscription}",
            "object": "checkout.session",
            "mode": "subscription",
            "client_reference_id": str(user_id),
            "customer": customer,
            "subscription": subscription,
            "metadata": {"geopol_user_id": str(user_id)},
        },
    )


def invoice(
    kind: str,
    subscription: str,
    start: int,
    end: int,
    *,
    metadata: dict[str, str] | None = None,
    quantity: int = 1,
    customer: str = "cus_1",
    created: int | None = None,
) -> dict:
    """An invoice event in the shape of API versions since 2025-03-31 (the subscription
    under parent, the paid period on the line)."""
    return event(
        kind,
        {
            "id": f"in_{next(_ids)}",
            "object": "invoice",
            "customer": customer,
            "hosted_invoice_url": "https://invoice.stripe.test/i/1",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {
                    "subscription": subscription,
                    "metadata": metadata or {},
                },
            },
            "lines": {
                "object": "list",
                "data": [
                    {
                        "id": "il_1",
                        "object": "line_item",
                        "quantity": quantity,
                        "period": {"start": start, "end": end},
                        "pricing": {"price_details": {"price": "price_1"}},
                        "parent": {
                            "type": "subscription_item_details",
                            "subscription_item_details": {"subscription": subscription},
                        },
                    }
                ],
            },
        },
        created=created,
    )


def subscription_deleted(subscription: str, period_end: int, customer: str = "cus_1") -> dict:
    return event(
        "customer.subscription.deleted",
        {
            "id": subscription,
            "object": "subscription",
            "customer": customer,
            "status": "canceled",
            "items": {"data": [{"id": "si_1", "current_period_end": period_end}]},
            "metadata": {},
        },
    )


@pytest.fixture
def local_stripe(settings):
    """Stripe configured, its API answered by a local server the test starts."""
    fake, server = start_local_stripe()
    settings.GEOPOL_STRIPE_SECRET_KEY = SECRET_KEY
    settings.GEOPOL_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.GEOPOL_STRIPE_API_BASE = fake.url
    yield fake
    server.shutdown()
    server.server_close()
