"""The audit log: every service call records its actor, the history reads in plain words,
and the roll-up's derived scores stay out of it."""

from auditlog.models import LogEntry

from lodestar.audit.history import changes_of, entries_of, history_of
from lodestar.audit.history import in_words as history_in_words
from lodestar.okrs.models import Cycle, KeyResult
from lodestar.okrs.services import key_result_create, objective_create, objective_update
from lodestar.org.models import Membership
from lodestar.org.services import membership_set
from lodestar.strategy.services import (
    measure_create,
    measure_update,
    measure_value_record,
    strategic_objective_create,
    strategic_objective_update,
    theme_create,
)


def goal(world, **kw):
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
        **kw,
    )


def test_a_service_call_records_the_acting_person_as_the_actor(world):
    objective = goal(world)
    strategic_objective_update(acting=world.strat, objective=objective, name="Keep customers")
    update, create = entries_of(objective)
    assert (update.actor, update.action) == (world.strat, LogEntry.Action.UPDATE)
    assert changes_of(update) == {"name": ["Delight customers", "Keep customers"]}
    assert create.actor is None  # the installation itself


def test_an_inner_service_call_keeps_the_outer_actor_and_the_next_call_its_own(world):
    objective = goal(world)
    measure = measure_create(
        acting=world.admin, objective=objective, name="NPS", baseline=0, target=50
    )
    measure_update(acting=world.strat, measure=measure, target=60)
    assert [e.actor for e in entries_of(measure)] == [world.strat, world.admin]


def test_the_history_leaves_out_the_scores_the_roll_up_writes(world):
    objective = goal(world)
    measure = measure_create(
        acting=world.strat, objective=objective, name="NPS", baseline=0, target=50
    )
    measure_value_record(acting=world.strat, measure=measure, period=world.cycle.start, actual=40)
    measure.refresh_from_db()
    objective.refresh_from_db()
    assert measure.performance is not None and objective.performance is not None
    assert [e.action for e in entries_of(measure)] == [LogEntry.Action.CREATE]
    assert "performance" not in changes_of(entries_of(objective).get())
    assert "status" not in changes_of(entries_of(measure).get())


def test_the_history_reads_in_plain_words_newest_first(world):
    objective = goal(world)
    strategic_objective_update(
        acting=world.strat,
        objective=objective,
        owner=world.lead,
        perspective=world.perspective("Financial"),
    )
    strategic_objective_update(
        acting=world.admin, objective=objective, description="Why it matters"
    )
    history = history_of(objective)
    latest, moved, created = history.changes
    assert (latest.who, latest.action) == ("Admin", "update")
    assert [(f.label, f.before, f.after) for f in latest.fields] == [
        ("Description", "—", "Why it matters")
    ]
    assert {(f.label, f.before, f.after) for f in moved.fields} == {
        ("Owner", "—", "Lead"),
        ("Perspective", "Customer", "Financial"),
    }
    assert (created.who, created.action) == ("the system", "create")
    assert not history.more


def test_the_history_names_many_to_many_changes(world):
    growth = theme_create(acting=None, scorecard=world.scorecard, name="Growth")
    objective = goal(world)
    strategic_objective_update(acting=world.strat, objective=objective, themes=[growth])
    strategic_objective_update(acting=world.strat, objective=objective, themes=[])
    removed, added = history_of(objective).changes[:2]
    assert [(f.label, f.added, f.removed) for f in added.fields] == [("Themes", "Growth", "")]
    assert [(f.label, f.added, f.removed) for f in removed.fields] == [("Themes", "", "Growth")]


def test_the_history_shows_choices_by_their_label_and_pages(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Win", owner=world.member)
    objective_update(acting=world.member, objective=objective, kind="committed")
    for title in ["Win more", "Win big"]:
        objective_update(acting=world.member, objective=objective, title=title)
    first_page = history_of(objective, limit=2)
    assert first_page.more
    assert [
        (f.before, f.after) for f in history_of(objective, limit=1, offset=2).changes[0].fields
    ] == [("Aspirational", "Committed")]


def test_a_check_in_is_history_of_its_key_result_without_the_derived_fields(world):
    from lodestar.okrs.services import checkin_create

    objective = objective_create(acting=None, cycle=world.cycle, title="Win", owner=world.member)
    key_result = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, baseline=0, target=10
    )
    checkin_create(acting=world.member, key_result=key_result, value=4, confidence=7)
    latest = entries_of(key_result).first()
    assert latest.actor == world.member
    assert changes_of(latest) == {"current": [0, 4]}


def test_a_lead_replaced_by_another_keeps_the_demotion_in_the_history(world):
    old = Membership.objects.get(unit=world.sales, person=world.lead)
    membership_set(acting=world.admin, person=world.member, unit=world.sales, role="lead")
    demotion = entries_of(old)[0]
    assert (demotion.actor, changes_of(demotion)) == (world.admin, {"role": ["lead", "member"]})


def test_the_history_writes_numbers_as_figures_and_moments_in_the_pages_date_style(world):
    """A grade of 0.541 read "— → 0.5409999999999999" and a moment "Dec. 7, 2026, 3:25 p.m."."""
    from lodestar.okrs.models import Objective
    from lodestar.okrs.services import objective_grade

    objective = objective_create(acting=None, cycle=world.cycle, title="Win", owner=world.member)
    objective_grade(
        acting=None, objective=objective, final_grade=0.1 + 0.441, retrospective="", grade_reason=""
    )
    (grade,) = [f for f in history_of(objective).changes[0].fields if f.label == "Final grade"]
    assert (grade.before, grade.after) == ("—", "0.54")
    title = Objective._meta.get_field("title")  # text stays as written
    assert history_in_words(title, "0.5409999999999999", None, set()) == "0.5409999999999999"
    moment = KeyResult._meta.get_field("last_checkin_at")
    assert history_in_words(moment, "2026-12-07T15:25:00", None, set()) == "7 Dec 2026 15:25"
    day = Cycle._meta.get_field("end")
    assert history_in_words(day, "2026-12-31", None, set()) == "31 Dec 2026"


def test_a_page_writes_an_unnamed_date_in_the_pages_date_style(settings):
    from datetime import UTC, datetime

    from django.template import Context, Template

    moment = datetime(2026, 12, 7, 15, 25, tzinfo=UTC)
    settings.TIME_ZONE = "UTC"
    shown = Template("{{ moment }} · {{ moment|date }}").render(Context({"moment": moment}))
    assert shown == "7 Dec 2026 15:25 · 7 Dec 2026"
