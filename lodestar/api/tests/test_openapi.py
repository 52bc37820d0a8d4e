"""The OpenAPI 3 document and the documentation page."""

from django.test import Client

from lodestar import scoring
from lodestar.api.document import references
from lodestar.insights.digest import SECTIONS

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


def served_document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def enum_places(node, where: str = "") -> list[str]:
    """Where the document writes out a list of allowed values."""
    if isinstance(node, dict):
        found = [where] if "enum" in node else []
        return found + [p for k, v in node.items() for p in enum_places(v, f"{where}/{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in enum_places(v, f"{where}/{i}")]
    return []


def test_every_operation_has_a_summary_and_a_description():
    undescribed = [
        name
        for name, operation in operations(served_document())
        if not operation.get("summary") or not operation.get("description")
    ]
    assert undescribed == []


def test_every_error_answer_is_documented_with_the_error_body():
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for name, operation in operations(served_document()):
        for status, answer in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert answer["content"]["application/json"]["schema"] == error, (name, status)


def test_each_enumeration_is_one_named_schema():
    document = served_document()
    places = enum_places(document)
    assert all(place.count("/") == 3 for place in places), places  # /components/schemas/X
    assert {"Colour", "Pace", "Direction", "Frequency", "KeyResultKind", "Visibility"} <= {
        place.rsplit("/", 1)[-1] for place in places
    }
    measure = document["components"]["schemas"]["MeasureOut"]["properties"]
    assert measure["direction"] == {"$ref": "#/components/schemas/Direction"}
    assert measure["frequency"] == {"$ref": "#/components/schemas/Frequency"}


def test_the_pace_enumeration_follows_the_scoring_rules():
    pace = served_document()["components"]["schemas"]["Pace"]
    assert pace["enum"] == [p.value for p in scoring.Pace]


def test_optional_query_parameters_are_plain_optional_values():
    for name, operation in operations(served_document()):
        for parameter in operation.get("parameters", []):
            assert "anyOf" not in parameter["schema"], (name, parameter["name"])
    status = next(
        p
        for p in served_document()["paths"]["/api/v1/key-results/"]["get"]["parameters"]
        if p["name"] == "status"
    )
    assert status["required"] is False
    assert status["schema"]["$ref"] == "#/components/schemas/Colour"


def test_no_schema_is_left_unused():
    document = served_document()
    outside = {k: v for k, v in document.items() if k != "components"}
    used, waiting = set(), references(outside)
    while waiting:
        name = waiting.pop()
        if name not in used:
            used.add(name)
            waiting |= references(document["components"]["schemas"][name])
    assert set(document["components"]["schemas"]) == used


def test_the_digest_sections_are_typed():
    document = served_document()
    sections = document["components"]["schemas"]["DigestSectionsOut"]
    assert list(sections["properties"]) == list(SECTIONS)
    assert set(sections["required"]) == set(SECTIONS)


def test_the_writing_of_key_results_and_of_a_repeated_measure_value_is_documented():
    paths = served_document()["paths"]
    create = paths["/api/v1/key-results/"]["post"]["description"]
    assert "decrease" in create and "milestone" in create
    value = paths["/api/v1/measure-values/"]["post"]
    assert {"200", "201"} <= set(value["responses"])
    assert "replaces" in value["description"]
