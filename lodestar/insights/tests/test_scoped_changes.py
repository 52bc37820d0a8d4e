"""Every ordinary write names what it touched (`org.changes`): a kept figure of a unit it
did not touch stays fresh, one of a unit it touched goes stale. The world: Acme above
Sales (above Inside Sales) and Support; the writes happen in Sales."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.utils import timezone

from lodestar.api.services import api_token_create
from lodestar.insights.kept import Scope
from lodestar.insights.tests.helpers import okr
from lodestar.okrs import services as okrs
from lodestar.org import services as org
from lodestar.org.models import Change
from lodestar.org.reader import Reader
from lodestar.org.second_factor_policy import second_factor_policy_set
from lodestar.reports.services import review_comment_write
from lodestar.strategy import services as strategy

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def figure(person, label: str) -> str:
    """A kept figure of module level (a worker computes it again from its name): it counts
    its computations."""
    CALLS.append(label)
    return label


def kept(world, label: str, scope: Scope) -> None:
    Reader(None).kept(figure, label, scope=scope)


@dataclass
class Sales:
    """What each write starts from, all of it in Sales."""

    objective: object
    other: object
    key_result: object
    scorecard: object
    strategic: object
    second: object
    measure: object
    link: object
    extra: dict = field(default_factory=dict)


@pytest.fixture
def sales(world) -> Sales:
    scorecard = strategy.scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales FY2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    customer = scorecard.perspectives.get(name="Customer")
    strategic = strategy.strategic_objective_create(
        acting=None, scorecard=scorecard, perspective=customer, name="Keep customers"
    )
    second = strategy.strategic_objective_create(
        acting=None, scorecard=scorecard, perspective=customer, name="Win customers"
    )
    measure = strategy.measure_create(
        acting=None, objective=strategic, name="Retention", baseline=0, target=100
    )
    link = strategy.link_create(acting=None, cause=second, effect=strategic)
    objective = okr(world, "Grow the north", serves=[strategic], key_results=1)
    other = okr(world, "Grow the south", key_results=0)
    return Sales(
        objective, other, objective.key_results.get(), scorecard, strategic, second, measure, link
    )


def value_recorded(world, sales):
    return strategy.measure_value_record(
        acting=None, measure=sales.measure, period=date(2026, 3, 1), actual=40
    )


def plan_set(world, sales):
    return strategy.measure_plan_set(
        acting=None, measure=sales.measure, period=date(2026, 6, 1), target=50
    )


# name → (what to prepare before the figures are kept, the write). Each write touches
# Sales alone.
WRITES = {
    "objective created": (
        None,
        lambda w, s, _: okr(w, "Grow the east", key_results=0),
    ),
    "objective edited": (
        None,
        lambda w, s, _: okrs.objective_update(acting=None, objective=s.objective, title="Grow"),
    ),
    "objective moved within Sales": (
        None,
        lambda w, s, _: okrs.objective_update(
            acting=None, objective=s.objective, unit=w.inside_sales
        ),
    ),
    "objective graded": (
        None,
        lambda w, s, _: okrs.objective_grade(
            acting=None, objective=s.objective, final_grade=0.0, retrospective="Slow start."
        ),
    ),
    "objective deleted": (
        None,
        lambda w, s, _: okrs.objective_delete(acting=None, objective=s.objective),
    ),
    "key result created": (
        None,
        lambda w, s, _: okrs.key_result_create(
            acting=None, objective=s.other, title="Ten visits", owner=w.member, target=10
        ),
    ),
    "key result edited": (
        None,
        lambda w, s, _: okrs.key_result_update(
            acting=None, key_result=s.key_result, title="Eleven visits"
        ),
    ),
    "key result handed to another owner": (
        None,
        lambda w, s, _: okrs.key_result_update(acting=None, key_result=s.key_result, owner=w.lead),
    ),
    "key result shared": (
        None,
        lambda w, s, _: okrs.key_result_hold(
            acting=None, objective=s.other, key_result=s.key_result
        ),
    ),
    "shared key result reweighted": (
        lambda w, s: okrs.key_result_hold(acting=None, objective=s.other, key_result=s.key_result),
        lambda w, s, holding: okrs.holding_update(acting=None, holding=holding, weight=2),
    ),
    "shared key result released": (
        lambda w, s: okrs.key_result_hold(acting=None, objective=s.other, key_result=s.key_result),
        lambda w, s, holding: okrs.key_result_release(acting=None, holding=holding),
    ),
    "key result deleted": (
        None,
        lambda w, s, _: okrs.key_result_delete(acting=None, key_result=s.key_result),
    ),
    "scorecard created": (
        None,
        lambda w, s, _: strategy.scorecard_create(
            acting=None,
            unit=w.inside_sales,
            name="Inside FY2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        ),
    ),
    "scorecard edited": (
        None,
        lambda w, s, _: strategy.scorecard_update(acting=None, scorecard=s.scorecard, name="FY26"),
    ),
    "draft scorecard published": (
        lambda w, s: strategy.scorecard_create(
            acting=None,
            unit=w.inside_sales,
            name="Inside FY2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            draft=True,
        ),
        lambda w, s, draft: strategy.scorecard_publish(acting=None, scorecard=draft),
    ),
    "scorecard deleted": (
        None,
        lambda w, s, _: strategy.scorecard_delete(acting=None, scorecard=s.scorecard),
    ),
    "perspective created": (
        None,
        lambda w, s, _: strategy.perspective_create(acting=None, scorecard=s.scorecard, name="X"),
    ),
    "perspective edited": (
        None,
        lambda w, s, _: strategy.perspective_update(
            acting=None, perspective=s.scorecard.perspectives.get(name="Financial"), weight=2
        ),
    ),
    "perspective deleted": (
        None,
        lambda w, s, _: strategy.perspective_delete(
            acting=None, perspective=s.scorecard.perspectives.get(name="Financial")
        ),
    ),
    "strategic objective created": (
        None,
        lambda w, s, _: strategy.strategic_objective_create(
            acting=None,
            scorecard=s.scorecard,
            perspective=s.scorecard.perspectives.get(name="Customer"),
            name="Delight customers",
        ),
    ),
    "strategic objective edited": (
        None,
        lambda w, s, _: strategy.strategic_objective_update(
            acting=None, objective=s.strategic, weight=3
        ),
    ),
    "strategic objective deleted": (
        None,
        lambda w, s, _: strategy.strategic_objective_delete(acting=None, objective=s.second),
    ),
    "link created": (
        None,
        lambda w, s, _: strategy.link_create(acting=None, cause=s.strategic, effect=s.second),
    ),
    "link edited": (
        None,
        lambda w, s, _: strategy.link_update(acting=None, link=s.link, hypothesis="Loyal buy."),
    ),
    "link deleted": (
        None,
        lambda w, s, _: strategy.link_delete(acting=None, link=s.link),
    ),
    "measure created": (
        None,
        lambda w, s, _: strategy.measure_create(
            acting=None, objective=s.second, name="Wins", baseline=0, target=10
        ),
    ),
    "measure edited": (
        None,
        lambda w, s, _: strategy.measure_update(acting=None, measure=s.measure, target=90),
    ),
    "measure deleted": (
        None,
        lambda w, s, _: strategy.measure_delete(acting=None, measure=s.measure),
    ),
    "measure value deleted": (
        value_recorded,
        lambda w, s, value: strategy.measure_value_delete(acting=None, value=value),
    ),
    "period planned": (
        None,
        lambda w, s, _: plan_set(w, s),
    ),
    "planned period deleted": (
        plan_set,
        lambda w, s, plan: strategy.measure_plan_delete(acting=None, plan=plan),
    ),
    "member placed": (
        None,
        lambda w, s, _: org.membership_set(acting=None, person=w.viewer, unit=w.inside_sales),
    ),
    "member removed": (
        None,
        lambda w, s, _: org.membership_remove(acting=None, person=w.member, unit=w.sales),
    ),
    "unit created": (
        None,
        lambda w, s, _: org.unit_create(acting=None, name="Field Sales", parent=w.sales),
    ),
    "unit renamed": (
        None,
        lambda w, s, _: org.unit_update(acting=None, unit=w.inside_sales, name="Phone Sales"),
    ),
    "unit deleted": (
        lambda w, s: org.unit_create(acting=None, name="Field Sales", parent=w.sales),
        lambda w, s, unit: org.unit_delete(acting=None, unit=unit),
    ),
    "person renamed": (
        None,
        lambda w, s, _: org.person_update(acting=None, person=w.member, last_name="Smith"),
    ),
}


@pytest.mark.parametrize("name", WRITES)
def test_a_write_in_sales_leaves_supports_figures_fresh_and_makes_sales_stale(world, sales, name):
    prepare, write = WRITES[name]
    prepared = prepare(world, sales) if prepare else None
    scopes = {"sales": Scope(unit=world.sales.pk), "support": Scope(unit=world.support.pk)}
    for label, scope in scopes.items():
        kept(world, label, scope)
    CALLS.clear()
    write(world, sales, prepared)
    for label, scope in scopes.items():
        kept(world, label, scope)
    assert CALLS == ["sales"]
    assert not Change.objects.latest("pk").everything


def test_an_objective_below_in_another_unit_is_touched_by_what_its_parent_serves(world, sales):
    """Whether Support's objective is an orphan depends on the Sales objective above it."""
    below = okr(world, "Serve the north", unit=world.support, parent=sales.other, key_results=0)
    assert below.parent_id == sales.other.pk
    kept(world, "support", Scope(unit=world.support.pk))
    CALLS.clear()
    okrs.objective_update(acting=None, objective=sales.other, contributes_to=[sales.strategic])
    kept(world, "support", Scope(unit=world.support.pk))
    assert CALLS == ["support"]


def test_a_key_results_owner_is_counted_where_they_belong(world, sales):
    """An owner's load is an alert of their units: giving a Sales key result to someone
    of Support touches Support."""
    kept(world, "support", Scope(unit=world.support.pk))
    CALLS.clear()
    okrs.key_result_update(acting=None, key_result=sales.key_result, owner=world.outsider)
    kept(world, "support", Scope(unit=world.support.pk))
    assert CALLS == ["support"]


def test_a_measure_touches_the_units_of_the_key_results_linked_to_it(world, sales):
    """Whether a key result pulls against its measure is an alert of the key result's unit."""
    theirs = okr(world, "Keep Support's customers", unit=world.support, key_results=1)
    okrs.key_result_update(
        acting=None, key_result=theirs.key_results.get(), linked_measure=sales.measure
    )
    kept(world, "support", Scope(unit=world.support.pk))
    CALLS.clear()
    strategy.measure_update(acting=None, measure=sales.measure, name="Retention rate")
    kept(world, "support", Scope(unit=world.support.pk))
    assert CALLS == ["support"]


@pytest.mark.parametrize(
    "write",
    [
        lambda w, s: strategy.initiative_create(
            acting=None, name="Loyalty card", strategic_objectives=[s.strategic]
        ),
        lambda w, s: strategy.theme_create(acting=None, scorecard=s.scorecard, name="Growth"),
        lambda w, s: api_token_create(acting=None, person=w.member, name="laptop"),
        lambda w, s: org.person_update(acting=None, person=w.member, email="m@example.com"),
        lambda w, s: org.person_create(acting=None, username="newcomer"),
        lambda w, s: second_factor_policy_set(acting=None, roles=["admin"]),
    ],
    ids=["initiative", "theme", "api token", "e-mail", "new person", "second factor policy"],
)
def test_a_write_no_figure_reads_records_no_change(world, sales, write):
    newest = Change.objects.latest("pk").pk
    write(world, sales)
    assert Change.objects.latest("pk").pk == newest


def test_a_cycles_writes_touch_that_cycle(world, sales):
    """A cycle in planning is in no unit's figures; its dates move only its own."""
    scopes = {
        "sales": Scope(unit=world.sales.pk),
        "active cycle": Scope(cycle=world.cycle.pk),
        "history": Scope(months=True),
    }
    for label, scope in scopes.items():
        kept(world, label, scope)
    CALLS.clear()
    planned = okrs.cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    kept(world, "planned cycle", Scope(cycle=planned.pk))
    for label, scope in scopes.items():
        kept(world, label, scope)
    assert CALLS == ["planned cycle"]
    CALLS.clear()
    okrs.cycle_update(acting=None, cycle=planned, end=date(2027, 3, 30))
    for label, scope in {**scopes, "planned cycle": Scope(cycle=planned.pk)}.items():
        kept(world, label, scope)
    assert CALLS == ["sales", "planned cycle"]  # every unit's figures: of that cycle only


def test_the_reviews_commentary_touches_its_cycles_review_alone(world, sales):
    scopes = {"sales": Scope(unit=world.sales.pk), "review": Scope(cycle=world.cycle.pk)}
    for label, scope in scopes.items():
        kept(world, label, scope)
    CALLS.clear()
    review_comment_write(
        acting=None,
        cycle=world.cycle,
        perspective=world.perspective("Customer"),
        text="Retention held.",
    )
    for label, scope in scopes.items():
        kept(world, label, scope)
    assert CALLS == ["review"]


def test_a_turn_of_the_cycle_still_changes_everything(world):
    planned = okrs.cycle_create(
        acting=None, name="Q1 2027", start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    okrs.cycle_activate(acting=None, cycle=planned, reason="Testing", today=timezone.localdate())
    change = Change.objects.latest("pk")
    assert change.everything and change.cycle_id is None and change.months
