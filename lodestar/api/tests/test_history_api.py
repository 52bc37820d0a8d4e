"""`GET /<entity>/{id}/history`: every change to an object, newest first, as visible as
the object itself; and no silent overwrite: reads send the version as ETag, a PATCH with
a stale If-Match is refused with 412 naming who changed it."""

from datetime import date

import pytest
from django.test import Client

from lodestar.okrs.services import objective_create, objective_update
from lodestar.strategy.models import Measure
from lodestar.strategy.services import measure_create, strategic_objective_create


def patch(client: Client, path: str, body: dict, **headers):
    return client.patch(f"/api/v1/{path}", body, content_type="application/json", headers=headers)


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )
    return measure_create(acting=None, objective=objective, name="NPS", baseline=0, target=50)


def test_the_history_lists_each_change_with_its_actor_newest_first(world, as_, measure):
    assert patch(as_("strat"), f"measures/{measure.pk}", {"target": 60}).status_code == 200
    answer = as_("viewer").get(f"/api/v1/measures/{measure.pk}/history")
    assert answer.status_code == 200
    body = answer.json()
    assert len(body["items"]) == 2 and body["next"] is None
    latest, created = body["items"]
    assert latest["action"] == "update"
    assert latest["actor"] == {"id": world.strat.pk, "name": "Strat"}
    assert latest["changes"] == {"target": [50.0, 60.0]}
    assert (created["action"], created["actor"]) == ("create", None)
    assert created["changes"]["name"] == [None, "NPS"]
    assert latest["at"] >= created["at"]


def test_the_history_pages_with_limit_and_offset(as_, measure):
    for target in (51, 52, 53):
        patch(as_("strat"), f"measures/{measure.pk}", {"target": target})
    body = as_("strat").get(f"/api/v1/measures/{measure.pk}/history?limit=2&offset=1").json()
    assert body["count"] == 4
    assert [item["changes"]["target"] for item in body["items"]] == [[51.0, 52.0], [50.0, 51.0]]


def test_a_private_objectives_history_is_as_invisible_as_the_objective(world, as_):
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Get promoted",
        owner=world.member,
        visibility="private",
    )
    objective_update(acting=world.member, objective=private, title="Get promoted soon")
    path = f"/api/v1/objectives/{private.pk}/history"
    assert len(as_("member").get(path).json()["items"]) == 2
    assert as_("outsider").get(path).status_code == 404
    assert as_("outsider").get("/api/v1/objectives/999999/history").status_code == 404


def test_a_read_sends_the_version_as_etag_and_an_update_moves_it(as_, measure):
    client = as_("strat")
    read = client.get(f"/api/v1/measures/{measure.pk}")
    assert read.headers["ETag"] == '"1"' and read.json()["version"] == 1
    changed = patch(client, f"measures/{measure.pk}", {"name": "Net promoter"}, if_match='"1"')
    assert changed.status_code == 200
    assert changed.headers["ETag"] == '"2"' and changed.json()["version"] == 2


def test_a_second_patch_with_the_same_if_match_is_refused_naming_the_first_writer(
    world, as_, measure
):
    first = patch(as_("strat"), f"measures/{measure.pk}", {"target": 60}, if_match='"1"')
    assert first.status_code == 200
    second = patch(as_("admin"), f"measures/{measure.pk}", {"target": 70}, if_match='"1"')
    assert second.status_code == 412
    body = second.json()
    assert body["errors"] == {}
    assert body["detail"].startswith("Strat changed this at ")
    assert "reload" in body["detail"]
    measure.refresh_from_db()
    assert (measure.target, measure.version) == (60, 2)


def test_a_patch_without_if_match_still_saves(as_, measure):
    patch(as_("strat"), f"measures/{measure.pk}", {"target": 60})
    assert patch(as_("admin"), f"measures/{measure.pk}", {"target": 70}).status_code == 200
    assert Measure.objects.get(pk=measure.pk).version == 3


def test_an_if_match_naming_no_version_is_refused(as_, measure):
    answer = patch(as_("strat"), f"measures/{measure.pk}", {"target": 60}, if_match='"abc"')
    assert answer.status_code == 412
    assert (
        patch(as_("strat"), f"measures/{measure.pk}", {"target": 61}, if_match="*").status_code
        == 200
    )


def test_every_entity_answers_its_history(world, as_):
    for path, pk in [
        ("units", world.sales.pk),
        ("people", world.lead.pk),
        ("scorecards", world.scorecard.pk),
        ("cycles", world.cycle.pk),
    ]:
        answer = as_("admin").get(f"/api/v1/{path}/{pk}/history")
        assert answer.status_code == 200, path
        assert answer.json()["items"][-1]["action"] == "create"


def test_a_persons_history_leaves_out_the_password(world, as_):
    created = as_("admin").get(f"/api/v1/people/{world.lead.pk}/history").json()["items"][-1]
    assert "password" not in created["changes"]
    assert created["changes"]["username"] == [None, "lead"]


def test_dates_keep_their_iso_form_in_the_history(world, as_):
    patch(as_("admin"), f"cycles/{world.cycle.pk}", {"end": "2027-01-15"})
    latest = as_("admin").get(f"/api/v1/cycles/{world.cycle.pk}/history").json()["items"][0]
    assert latest["changes"] == {"end": [str(date(2026, 12, 31)), "2027-01-15"]}
