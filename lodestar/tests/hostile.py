"""The hostile-input corpus shared by the web and API tests: the values, a world with one
object of every kind to aim them at, how they are spread over the fields, and the row
counts that prove a refused request wrote nothing.

Every field gets a share of the values and every value reaches every form and every
operation (`spread`), so the run stays short while no surface is left out.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import connection, transaction

from lodestar.conversation.services import comment_post
from lodestar.notify.models import WebhookSubscription
from lodestar.okrs.models import Cycle, Objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_create,
    key_result_create,
    objective_create,
)
from lodestar.sources.services import data_source_create
from lodestar.strategy.services import (
    initiative_create,
    link_create,
    measure_create,
    measure_value_record,
    strategic_objective_create,
    theme_create,
)

MEGABYTE = "x" * 1_000_000
UNKNOWN_ID = 999_999_999


@dataclass(frozen=True)
class Hostile:
    name: str
    value: object  # as JSON would carry it; `form` is its form-encoded spelling
    form: object = None


def hostile_values(private_id: int) -> list[Hostile]:
    """Numbers past the bound or not numbers at all, text no database can store, wrong
    types, and ids that do not exist, may not be seen, or cannot exist."""
    values = [
        Hostile("NaN", math.nan, "NaN"),
        Hostile('"nan"', "nan"),
        Hostile("inf", math.inf, "inf"),
        Hostile("-inf", -math.inf, "-inf"),
        Hostile('"Infinity"', "Infinity"),
        Hostile("1e308", 1e308, "1e308"),
        Hostile("-1e308", -1e308, "-1e308"),
        Hostile("2**64", 2**64),
        Hostile("-2**64", -(2**64)),
        Hostile("-0.0", -0.0, "-0.0"),
        Hostile("1 MB", MEGABYTE),
        Hostile("lone surrogate", "\ud800"),
        Hostile("NUL", "a\x00b"),
        Hostile("list", [1, 2], ["1", "2"]),
        Hostile("dict", {"a": 1}, "{'a': 1}"),
        Hostile("bool", True, "true"),
        Hostile("null", None, ""),
        Hostile("unknown id", UNKNOWN_ID),
        Hostile("private id", private_id),
    ]
    return [v if v.form is not None else Hostile(v.name, v.value, str(v.value)) for v in values]


def spread(fields: list[str], values: list[Hostile], per_field: int) -> list[tuple[str, Hostile]]:
    """(field, value) pairs: each field gets about `per_field` values, each value lands
    on at least one field, rotating so that neighbouring fields get different values."""
    if not fields:
        return []
    stride = max(1, min(len(fields), len(values) // per_field))
    return [
        (name, value)
        for i, name in enumerate(fields)
        for j, value in enumerate(values)
        if (j - i) % stride == 0
    ]


@dataclass
class Targets:
    """One object of each kind, by the path segment that names it in URLs."""

    by_segment: dict[str, object]
    private: Objective
    planning: Cycle
    ids: dict[str, int] = field(default_factory=dict)  # valid ids by field name

    def __getitem__(self, segment: str):
        return self.by_segment[segment]


def build_targets(world) -> Targets:
    customer = world.perspective("Customer")
    finance = world.perspective("Financial")
    theme = theme_create(acting=None, scorecard=world.scorecard, name="Growth")
    cause = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=customer, name="Delight", code="C1"
    )
    effect = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=finance, name="Grow", themes=[theme]
    )
    link = link_create(acting=None, cause=cause, effect=effect)
    measure = measure_create(acting=None, objective=cause, name="NPS", baseline=0, target=50)
    value = measure_value_record(acting=None, measure=measure, period=date(2026, 9, 1), actual=20)
    initiative = initiative_create(acting=None, name="Launch", strategic_objectives=[cause])
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Sell more",
        unit=world.sales,
        owner=world.member,
        contributes_to=[cause],
    )
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Close deals",
        owner=world.member,
        target=10,
        linked_measure=measure,
    )
    checkin = checkin_create(acting=None, key_result=key_result, value=2, confidence=6)
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Private plan",
        owner=world.lead,
        visibility="private",
    )
    planning = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    # Stored as it is: the service would resolve example.com (the outbound gate), and these
    # tests need the row, never a delivery.
    webhook = WebhookSubscription.objects.create(
        name="Hook", url="https://example.com/hook", events=["*"], secret="hostile"
    )
    fed = measure_create(acting=None, objective=effect, name="Bookings", baseline=0, target=9)
    source = data_source_create(acting=None, measure=fed, name="Feed", kind="push")
    comment = comment_post(
        acting=world.member, target=objective, body="Why did it **move**?"
    ).comment
    by_segment = {
        "comments": comment,
        "sources": source,
        "units": world.sales,
        "people": world.member,
        "scorecards": world.scorecard,
        "perspectives": customer,
        "themes": theme,
        "strategic-objectives": cause,
        "links": link,
        "measures": measure,
        "measure-values": value,
        "initiatives": initiative,
        "cycles": world.cycle,
        "objectives": objective,
        "key-results": key_result,
        "checkins": checkin,
        "webhooks": webhook,
    }
    ids = {
        "unit": world.sales.pk,
        "parent": None,
        "owner": world.member.pk,
        "manager": world.lead.pk,
        "person": world.member.pk,
        "author": world.member.pk,
        "scorecard": world.scorecard.pk,
        "perspective": customer.pk,
        "theme": theme.pk,
        "themes": [theme.pk],
        "objective": objective.pk,
        "objectives": [cause.pk],
        "contributes_to": [cause.pk],
        "cause": cause.pk,
        "effect": effect.pk,
        "measure": measure.pk,
        "linked_measure": measure.pk,
        "initiative": initiative.pk,
        "cycle": world.cycle.pk,
        "key_result": key_result.pk,
    }
    return Targets(by_segment, private, planning, ids)


DOMAIN_APPS = ("org", "strategy", "okrs", "notify", "api")


def row_counts() -> tuple[int, ...]:
    """The number of rows of every domain table, in one query."""
    tables = [
        model._meta.db_table
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
    ]
    quote = connection.ops.quote_name
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return tuple(cursor.fetchone())


@dataclass
class Tally:
    """What the corpus saw: requests sent, server errors, refusals that wrote rows."""

    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    written_when_refused: list[str] = field(default_factory=list)

    def send(self, label: str, request, *, counted: bool):
        """Run one request in a savepoint rolled back afterwards (every request meets the
        same world); with `counted`, compare row counts when it was refused."""
        self.requests += 1
        try:
            with transaction.atomic():
                before = row_counts() if counted else None
                response = request()
                if response.status_code >= 500:
                    self.server_errors.append(f"{response.status_code} {label}")
                elif counted and response.status_code >= 400 and row_counts() != before:
                    self.written_when_refused.append(f"{response.status_code} {label}")
                transaction.set_rollback(True)
        except Exception as error:  # the test client raises what a server answers 500 for
            self.server_errors.append(f"500 {label}: {type(error).__name__}: {error}"[:300])
            return None
        return response

    def report(self, surface: str) -> str:
        return (
            f"hostile-input corpus ({surface}): {self.requests} requests, "
            f"{len(self.server_errors)} answered >= 500, "
            f"{len(self.written_when_refused)} refused requests wrote rows"
        )
