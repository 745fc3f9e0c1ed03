"""The read-only JSON API, v1. OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs.
Schemas in `schemas.py`, endpoints in `views.py`."""

from ninja import NinjaAPI

from geopol.api.views import router

api = NinjaAPI(
    title="Geopol API",
    version="1",
    description="Read-only access to published analyses, regions, countries, actors, persons, "
    "places and search. "
    "Members-only text is returned only to readers who may read it. Lists come a page at a "
    "time: `limit` (at most 100) and `offset`, with the `count` of all matches. Programs send "
    "an API key (Your account > API keys) as `Authorization: Bearer KEY` and read what its "
    "owner may read.",
    urls_namespace="api-v1",
)
api.add_router("", router)
api.add_router("/forecasts", "geopol.api.forecasts.router")  # the forecast ledger
api.add_router("", "geopol.api.entities.router")  # actors, persons, places
