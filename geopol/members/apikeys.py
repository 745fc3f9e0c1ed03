"""API keys: created, named and revoked by their owner, checked on every API request, and
held to a rate per key. A key is `gpk_` + a 12-character public prefix + a 32-byte secret;
only its SHA-256 is stored (a random 256-bit secret needs no slow hash: nobody can guess
it, and a stolen digest does not give it back)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from geopol.core.replica import primary_reads
from geopol.members.models import ApiKey

SCHEME = "gpk_"
PREFIX_LENGTH = 12


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(user, name: str) -> tuple[ApiKey, str]:
    """A new key for `user`; returns it with the key itself, which is never shown again."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    key = f"{SCHEME}{prefix}{secrets.token_urlsafe(32)}"
    record = ApiKey.objects.create(
        user=user, name=name.strip()[:80] or "API key", prefix=prefix, digest=_digest(key)
    )
    return record, key


def revoke_key(user, key_id: int) -> bool:
    """Revoke one of `user`'s keys; False when it is not theirs or already revoked."""
    return bool(
        ApiKey.objects.active().filter(user=user, pk=key_id).update(revoked_at=timezone.now())
    )


def key_from_request(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-Api-Key") or None


def find_key(key: str) -> ApiKey | None:
    """The active key `key` names, or None."""
    if not key.startswith(SCHEME) or len(key) < len(SCHEME) + PREFIX_LENGTH + 20:
        return None
    prefix = key[len(SCHEME) : len(SCHEME) + PREFIX_LENGTH]
    with primary_reads():  # a key revoked a second ago is revoked (no replica lag)
        record = ApiKey.objects.active().select_related("user").filter(prefix=prefix).first()
    if record is None or not hmac.compare_digest(record.digest, _digest(key)):
        return None
    if not record.user.is_active:
        return None
    return record


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    retry_after: int  # seconds until the next window


def spend(record: ApiKey, per_minute: int) -> Allowance:
    """Count one request against `record`'s fixed one-minute window in the shared cache."""
    now = timezone.now()
    window = f"geopol:apikey:{record.pk}:{now:%Y%m%d%H%M}"
    cache.add(window, 0, timeout=90)
    try:
        used = cache.incr(window)
    except ValueError:  # evicted between add and incr
        cache.set(window, 1, timeout=90)
        used = 1
    return Allowance(used <= per_minute, 60 - now.second)


def _refusal(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"detail": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


class ApiKeyMiddleware:
    """Under /api/, a request carrying a key reads as the key's owner. A wrong or revoked key
    is refused (401), never served as anonymous; past GEOPOL_API_KEY_RATE requests a minute,
    429 with Retry-After. Requests without a key go on as before (anonymous or session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        key = key_from_request(request)
        if key is None:
            response = self.get_response(request)
            patch_vary_headers(response, ["Authorization"])
            return response
        record = find_key(key)
        if record is None:
            return _refusal(
                401,
                "This API key is not valid or was revoked: create one under Your account > "
                "API keys, and send it as 'Authorization: Bearer KEY'.",
                **{"WWW-Authenticate": 'Bearer realm="geopol"'},
            )
        allowance = spend(record, settings.GEOPOL_API_KEY_RATE)
        if not allowance.allowed:
            return _refusal(
                429,
                f"More than {settings.GEOPOL_API_KEY_RATE} requests a minute with this key; "
                f"try again in {allowance.retry_after} s.",
                **{"Retry-After": str(allowance.retry_after)},
            )
        request.user = record.user
        if (
            record.last_used_at is None
            or (timezone.now() - record.last_used_at).total_seconds() > 60
        ):
            ApiKey.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        response = self.get_response(request)
        patch_vary_headers(response, ["Authorization"])
        patch_cache_control(response, private=True)
        return response
