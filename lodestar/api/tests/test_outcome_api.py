"""The API words an objective's state from the pages' one table (scoring.outcomes): no
"missed" or "succeeded" while its cycle runs, "planned" in planning."""

from datetime import date

from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    cycle_create,
    key_result_create,
    objective_create,
)


def outcome_of(as_, objective) -> str:
    return as_("admin").get(f"/api/v1/objectives/{objective.pk}").json()["outcome"]


def test_an_objectives_outcome_is_a_verdict_only_once_its_cycle_has_closed(world, as_):
    planned_cycle = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    planned = objective_create(acting=None, cycle=planned_cycle, title="Later", unit=world.sales)
    bare = objective_create(acting=None, cycle=world.cycle, title="Bare", unit=world.sales)
    running = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
    deals = key_result_create(
        acting=None, objective=running, title="Deals", owner=world.member, target=100
    )
    checkin_create(acting=None, key_result=deals, value=1, confidence=3)
    assert outcome_of(as_, planned) == "planned"
    assert outcome_of(as_, bare) == "no_key_results"
    assert outcome_of(as_, running) not in {"succeeded", "missed", "not_scored", "planned"}
    listed = as_("admin").get(f"/api/v1/objectives/?cycle={world.cycle.pk}").json()["items"]
    assert {item["title"]: item["outcome"] for item in listed}["Bare"] == "no_key_results"
    cycle_close(acting=None, cycle=world.cycle, reason="A test closes it early")
    assert outcome_of(as_, running) == "missed"
    assert outcome_of(as_, bare) == "not_scored"
