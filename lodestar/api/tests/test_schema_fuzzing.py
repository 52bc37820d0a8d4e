"""schemathesis over our own OpenAPI document, in-process through the WSGI app: for every
operation, generated requests (valid and invalid) never get a server error and every
response matches the documented schema. Bounded so that it runs in well under a minute."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from lodestar.api.services import api_token_create
from lodestar.wsgi import application

EXAMPLES_PER_OPERATION = 10
COVERAGE_PHASE = False


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Django's own test client does this: a request must not close the connection
    that holds the test's transaction (PostgreSQL would lose it)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def admin_headers(world) -> dict[str, str]:
    _, secret = api_token_create(acting=None, person=world.admin, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


# The document is served without touching the database, so it loads at import.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    config=schemathesis.Config.from_dict(
        {
            # Boundary cases first (the coverage phase), then a few random ones each.
            "phases": {"coverage": {"enabled": COVERAGE_PHASE}},
            "generation": {"max-examples": EXAMPLES_PER_OPERATION},
        }
    ),
)


@schema.parametrize()
@settings(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error_or_breaks_its_schema(case, admin_headers):
    case.call_and_validate(
        headers=admin_headers, checks=[not_a_server_error, response_schema_conformance]
    )
