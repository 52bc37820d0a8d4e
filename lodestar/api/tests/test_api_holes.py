"""What the API lacked for spreadsheets and backups: key result weights and shares,
unit memberships and leads, dated check-ins, measure values that say whether they
replaced one, an objective owned by its caller, and who am I."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from lodestar.okrs.models import CheckIn, ObjectiveKeyResult
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Membership
from lodestar.strategy.models import MeasureValue
from lodestar.strategy.services import measure_create, strategic_objective_create


def send(client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


@pytest.fixture
def two_objectives(world):
    first = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    second = objective_create(acting=None, cycle=world.cycle, title="Keep", unit=world.sales)
    return first, second


def test_a_key_result_is_created_with_its_weight_in_its_objective(world, two_objectives, as_):
    first, _ = two_objectives
    body = {"objective": first.pk, "title": "Revenue", "target": 100, "weight": 3}
    response = send(as_("lead"), "post", "key-results/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["holdings"] == [
        {"objective": first.pk, "key_result": response.json()["id"], "weight": 3.0}
    ]


def test_a_key_result_is_shared_reweighted_and_released_through_the_api(world, two_objectives, as_):
    first, second = two_objectives
    kr = key_result_create(acting=None, objective=first, title="NPS", owner=world.member, target=9)
    client = as_("lead")
    shared = send(client, "post", f"objectives/{second.pk}/key-results", {"key_result": kr.pk})
    assert shared.status_code == 201 and shared.json()["weight"] == 1.0
    again = send(client, "post", f"objectives/{second.pk}/key-results", {"key_result": kr.pk})
    assert again.status_code == 400 and "objective" in again.json()["errors"]
    path = f"objectives/{second.pk}/key-results/{kr.pk}"
    assert send(client, "patch", path, {"weight": 2.5}).json()["weight"] == 2.5
    holdings = client.get(f"/api/v1/key-results/{kr.pk}").json()["holdings"]
    assert {(h["objective"], h["weight"]) for h in holdings} == {(first.pk, 1.0), (second.pk, 2.5)}
    assert send(client, "delete", path).status_code == 204
    last = send(client, "delete", f"objectives/{first.pk}/key-results/{kr.pk}")
    assert last.status_code == 400 and ObjectiveKeyResult.objects.filter(key_result=kr).count() == 1


def test_a_viewer_may_not_reweight_a_key_result(world, two_objectives, as_):
    first, _ = two_objectives
    kr = key_result_create(acting=None, objective=first, title="NPS", owner=world.member, target=9)
    path = f"objectives/{first.pk}/key-results/{kr.pk}"
    assert send(as_("viewer"), "patch", path, {"weight": 5}).status_code == 403
    assert ObjectiveKeyResult.objects.get(key_result=kr).weight == 1.0


def test_an_admin_places_people_in_units_and_sets_the_lead(world, as_):
    client = as_("admin")
    path = f"units/{world.support.pk}/members/{world.member.pk}"
    assert send(client, "put", path, {"role": "lead"}).json()["role"] == "lead"
    outsider_lead = f"units/{world.support.pk}/members/{world.outsider.pk}"
    send(client, "put", outsider_lead, {"role": "lead"})
    roles = {
        m["person"]: m["role"]
        for m in client.get(f"/api/v1/units/{world.support.pk}/members").json()
    }
    assert roles == {world.member.pk: "member", world.outsider.pk: "lead"}
    assert send(client, "delete", path).status_code == 204
    assert not Membership.objects.filter(person=world.member, unit=world.support).exists()


def test_only_an_admin_changes_memberships(world, as_):
    path = f"units/{world.sales.pk}/members/{world.outsider.pk}"
    assert send(as_("lead"), "put", path, {"role": "member"}).status_code == 403
    assert send(as_("admin"), "put", f"units/{world.sales.pk}/members/99999", {}).status_code == 404


@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=timezone.get_current_timezone()), tick=False)
def test_dated_check_ins_inside_the_cycle_make_the_history_and_the_latest_stays_current(
    world, two_objectives, as_
):
    first, _ = two_objectives
    kr = key_result_create(
        acting=None, objective=first, title="Deals", owner=world.member, target=100
    )
    client = as_("member")
    for at, value in (("2026-11-01T09:00:00", 40), ("2026-10-15T09:00:00", 20)):
        body = {"key_result": kr.pk, "value": value, "confidence": 7, "at": at}
        assert send(client, "post", "checkins/", body).status_code == 201
    kr.refresh_from_db()
    assert kr.current == 40 and timezone.localdate(kr.last_checkin_at) == date(2026, 11, 1)
    assert list(CheckIn.objects.filter(key_result=kr).values_list("value", flat=True)) == [20, 40]


@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=timezone.get_current_timezone()), tick=False)
@pytest.mark.parametrize("at", ["2026-09-30T12:00:00", "2026-11-25T12:00:00"])
def test_a_check_in_dated_outside_its_cycle_or_ahead_is_refused_on_at(
    world, two_objectives, as_, at
):
    first, _ = two_objectives
    kr = key_result_create(
        acting=None, objective=first, title="Deals", owner=world.member, target=100
    )
    body = {"key_result": kr.pk, "value": 5, "confidence": 7, "at": at}
    response = send(as_("member"), "post", "checkins/", body)
    assert response.status_code == 400 and "at" in response.json()["errors"]
    assert not CheckIn.objects.filter(key_result=kr).exists()


def test_an_older_check_in_leaves_the_later_periods_measure_actual_alone(world, two_objectives):
    strategic = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=world.perspective("Customer"), name="N"
    )
    measure = measure_create(acting=None, objective=strategic, name="NPS", baseline=0, target=50)
    first, _ = two_objectives
    kr = key_result_create(
        acting=None,
        objective=first,
        title="NPS",
        owner=world.member,
        target=50,
        linked_measure=measure,
    )
    zone = timezone.get_current_timezone()
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=zone), tick=False):
        for day, value in ((10, 30), (5, 10)):
            at = datetime(2026, 11, day, 12, tzinfo=zone)
            checkin_create(acting=None, key_result=kr, value=value, confidence=5, at=at)
    assert MeasureValue.objects.get(measure=measure).actual == 30


def test_a_measure_value_answers_201_when_new_and_200_when_it_replaces(world, as_):
    strategic = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=world.perspective("Customer"), name="N"
    )
    measure = measure_create(acting=None, objective=strategic, name="NPS", baseline=0, target=50)
    body = {"measure": measure.pk, "period": "2026-03-04", "actual": 10}
    assert send(as_("strat"), "post", "measure-values/", body).status_code == 201
    body = {**body, "period": "2026-03-20", "actual": 12}
    replaced = send(as_("strat"), "post", "measure-values/", body)
    assert replaced.status_code == 200 and replaced.json()["actual"] == 12
    assert MeasureValue.objects.filter(measure=measure).count() == 1


def test_an_objective_is_owned_by_its_caller_unless_named(world, as_):
    body = {"cycle": world.cycle.pk, "title": "Learn Go"}
    created = send(as_("member"), "post", "objectives/", body).json()
    assert created["owner"] == world.member.pk


def test_me_says_who_the_caller_is(world, as_):
    me = as_("lead").get("/api/v1/me").json()
    assert me["id"] == world.lead.pk and me["username"] == "lead" and me["role"] == "member"
    assert me["name"] == "Lead"
    assert me["units"] == [{"unit": world.sales.pk, "name": "Sales", "role": "lead"}]
    permissions = me["permissions"]
    assert not permissions["admin"] and not permissions["read_only"]
    assert world.sales.pk in permissions["leads"]
    assert world.sales.pk in permissions["writes_okrs_for"]


def test_me_says_what_a_viewer_and_an_admin_may_do(world, as_):
    viewer = as_("viewer").get("/api/v1/me").json()["permissions"]
    assert viewer["read_only"] and viewer["leads"] == [] and viewer["writes_okrs_for"] == []
    admin = as_("admin").get("/api/v1/me").json()["permissions"]
    assert admin["admin"] and admin["runs_review"]
