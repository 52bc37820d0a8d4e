"""The REST API, /api/v1/ (OpenAPI 3 at /api/v1/openapi.json)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Lodestar API", version="1", urls_namespace="api")
