"""The OpenAPI 3 document and the documentation page."""

from django.test import Client

ENTITIES = [
    "units",
    "people",
    "scorecards",
    "perspectives",
    "themes",
    "strategic-objectives",
    "links",
    "measures",
    "measure-values",
    "initiatives",
    "cycles",
    "objectives",
    "key-results",
    "webhooks",
]


def test_the_document_is_openapi_3_and_lists_every_entity():
    document = Client().get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    for entity in ENTITIES:
        assert {"get", "post"} <= set(document["paths"][f"/api/v1/{entity}/"])
        assert {"get", "patch", "delete"} <= set(document["paths"][f"/api/v1/{entity}/{{id}}"])
        assert "get" in document["paths"][f"/api/v1/{entity}/{{id}}/history"]
    assert "post" in document["paths"]["/api/v1/checkins/"]
    assert "get" in document["paths"]["/api/v1/checkins/{id}/history"]
    assert "get" in document["paths"]["/api/v1/scorecards/{id}/summary"]


def test_every_operation_documents_the_error_shape():
    document = Client().get("/api/v1/openapi.json").json()
    for item in document["paths"].values():
        for operation in item.values():
            assert {"400", "401", "403", "404", "409", "422"} <= set(operation["responses"])


def test_a_versioned_update_documents_the_stale_refusal_and_the_output_its_version():
    document = Client().get("/api/v1/openapi.json").json()
    patch = document["paths"]["/api/v1/measures/{id}"]["patch"]
    assert "412" in patch["responses"]
    assert "If-Match" in patch["description"]
    assert "version" in document["components"]["schemas"]["MeasureOut"]["required"]


def test_the_documentation_page_serves_its_own_assets(world):
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui" in page.content.decode()
