"""One error shape for everything, and never a 500 for bad input."""

from django.test import Client

from lodestar.okrs.services import cycle_close, key_result_create, objective_create


def post(client: Client, path: str, body) -> tuple[int, dict]:
    response = client.post(f"/api/v1/{path}", body, content_type="application/json")
    return response.status_code, response.json()


def test_an_id_out_of_range_fails_the_schema_with_422(world, as_):
    status, body = post(
        as_("admin"),
        "measures/",
        {"objective": 0, "name": "NPS", "baseline": 10, "target": 10},
    )
    assert status == 422  # the id fails the schema before the domain is asked
    assert "objective" in body["errors"]


def test_target_equal_to_baseline_is_refused_by_the_domain_with_400(world, as_):
    client = as_("admin")
    _, objective = post(
        client,
        "strategic-objectives/",
        {
            "scorecard": world.scorecard.pk,
            "perspective": world.perspective("Customer").pk,
            "name": "Delight customers",
        },
    )
    status, body = post(
        client,
        "measures/",
        {"objective": objective["id"], "name": "NPS", "baseline": 10, "target": 10},
    )
    assert status == 400
    assert body["detail"] == "Invalid input."
    assert list(body["errors"]) == ["target"]


def test_schema_errors_are_422_with_the_same_shape(world, as_):
    status, body = post(as_("admin"), "checkins/", {"key_result": 1, "value": "lots"})
    assert status == 422
    assert set(body) == {"detail", "errors"}
    assert set(body["errors"]) == {"value", "confidence"}


def test_an_unknown_id_in_a_payload_names_its_field(world, as_):
    status, body = post(
        as_("admin"),
        "scorecards/",
        {"unit": 999999, "name": "X", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    assert status == 400
    assert body["errors"] == {"unit": ["No unit with id 999999."]}


def test_malformed_json_is_400(world, as_):
    response = as_("admin").post("/api/v1/units/", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_a_nul_character_is_refused_not_crashing_the_database(world, as_):
    status, body = post(as_("admin"), "units/", {"name": "Sa\x00les"})
    assert status == 422 and "name" in body["errors"]


def test_an_unknown_object_is_404(world, as_):
    response = as_("admin").get("/api/v1/scorecards/424242")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_a_duplicate_is_409(world, as_):
    status, body = post(
        as_("admin"), "cycles/", {"name": "Q4 2026", "start": "2027-01-01", "end": "2027-03-31"}
    )
    assert status == 409
    assert "name" in body["errors"]


def test_a_checkin_on_a_closed_cycle_is_409_and_writes_nothing(world, as_):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="Revenue", owner=world.member, baseline=0, target=10
    )
    cycle_close(acting=None, cycle=world.cycle)
    status, body = post(
        as_("member"), "checkins/", {"key_result": key_result.pk, "value": 5, "confidence": 7}
    )
    assert status == 409
    assert "key_result" in body["errors"]
    assert not key_result.checkins.exists()


def test_deleting_something_still_in_use_is_409(world, as_):
    response = as_("admin").delete(f"/api/v1/units/{world.sales.pk}")
    assert response.status_code == 409
    assert response.json()["detail"] == "This conflicts with stored data."
