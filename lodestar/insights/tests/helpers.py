"""Small builders for crafted insight scenarios on the `world` personas (through the
services, like the app)."""

from datetime import UTC, date, datetime

from django.utils import timezone

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    strategic_objective_create,
)

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # 46 of Q4's 91 days: expected 0.505


def strategic(world, name: str, perspective: str = "Customer", **fields):
    return strategic_objective_create(
        acting=None,
        scorecard=fields.pop("scorecard", world.scorecard),
        perspective=fields.pop("perspective_obj", None) or world.perspective(perspective),
        name=name,
        **fields,
    )


def okr(world, title: str, *, serves=(), key_results: int = 2, owner=..., **fields):
    """An objective of the world's cycle with `key_results` plain metric key results;
    owned by the Sales lead unless `owner` says otherwise (None: nobody)."""
    objective = objective_create(
        acting=None,
        cycle=fields.pop("cycle", world.cycle),
        title=title,
        owner=world.lead if owner is ... else owner,
        unit=fields.pop("unit", world.sales),
        contributes_to=list(serves),
        **fields,
    )
    for index in range(key_results):
        key_result_create(
            acting=None,
            objective=objective,
            title=f"Raise figure {index + 1} of {title} from 0 to 10",
            owner=world.member,
            baseline=0,
            target=10,
            unit_label="pts",
        )
    return objective


def measure(objective, name: str, values: dict[date, float], **fields):
    fields = {"baseline": 0, "target": 100, **fields}
    found = measure_create(acting=None, objective=objective, name=name, **fields)
    for period, actual in values.items():
        measure_value_record(acting=None, measure=found, period=period, actual=actual)
    return found


def check_in(key_result, value: float, day: date, confidence: int = 7):
    return checkin_create(
        acting=None,
        key_result=key_result,
        value=value,
        confidence=confidence,
        # Nine in the morning, or now when today's nine has not come yet (a check-in
        # may not be dated ahead of now, and the suite runs at every hour).
        at=min(datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC), timezone.now()),
    )
