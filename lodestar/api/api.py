"""The REST API, /api/v1/ (OpenAPI 3 at /api/v1/openapi.json, documentation at
/api/v1/docs). Every endpoint needs a personal token or a browser session."""

import copy

from csp.constants import SELF
from csp.decorators import csp_update
from ninja import NinjaAPI

from lodestar.api import (
    activity,
    alert_groups,
    comments,
    insights,
    notifications,
    okrs,
    org,
    scores,
    sources,
    strategy,
    webhooks,
)
from lodestar.api.auth import api_auth
from lodestar.api.document import tidy
from lodestar.api.errors import install_error_handlers
from lodestar.api.idempotency import IDEMPOTENCY_NOTE, idempotent


class LodestarAPI(NinjaAPI):
    """The document is built once per process and prefix: it depends on the code alone,
    and building it takes seconds (a client fetching it would wait each time)."""

    def __init__(self, **options):
        super().__init__(**options)
        self._documents: dict[tuple, dict] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._documents:
            built = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            self._documents[key] = tidy(built)
        return copy.deepcopy(self._documents[key])


api = LodestarAPI(
    title="Lodestar API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    # Swagger UI (ninja's own static files, no inline script) draws its icons from data: URLs.
    docs_decorator=csp_update({"img-src": [SELF, "data:"]}),
    description="The Balanced Scorecard and OKRs of one organisation. Authenticate with "
    "`Authorization: Bearer <personal token>` (create one at /settings/tokens/ or with "
    "`lodestar token create`). Errors always look like "
    '`{"detail": "...", "errors": {"field": ["message"]}}`. ' + IDEMPOTENCY_NOTE,
)
install_error_handlers(api)
api.add_router("", org.router)
api.add_router("", strategy.router)
api.add_router("", scores.router)
api.add_router("", okrs.router)
api.add_router("", webhooks.router)
api.add_router("", insights.router)
api.add_router("", alert_groups.router)
api.add_router("", sources.router)
api.add_router("", notifications.router)
api.add_router("", comments.router)
api.add_router("", activity.router)
api.add_decorator(idempotent, mode="view")  # every POST, the routers' included
