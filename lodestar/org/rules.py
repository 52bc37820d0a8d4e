"""Who may do what to each model, registered by the model class itself (a renamed model
keeps its rules): the object rule (`may(reader, action, obj)`, one object) and, beside
it, the queryset rule (`shown(reader)`, the rows a list shows), which agree.

The rules are asked only through a `Reader` (`lodestar.org.reader`): it has already
refused inactive people, let admins through and kept viewers from writing. The table of
roles in words is `lodestar.org.permissions`'s.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet

from lodestar.api.models import ApiToken
from lodestar.conversation.models import Comment
from lodestar.exchange.models import ImportMapping
from lodestar.insights.models import AlertSnooze
from lodestar.jobs.models import ImportJob
from lodestar.notify.models import WebhookDelivery, WebhookSubscription
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.org.models import Membership, Person, SecondFactorPolicy, SignedInSession, Unit
from lodestar.sources.models import DataSource, SyncRun
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasurePlan,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
    Theme,
)


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    ADD = "add"  # add something inside: a key result to an objective, a value to a measure…
    ADD_OKR = "add_okr"  # on a unit: write an OKR objective for it
    CHECK_IN = "check_in"
    HOLD = "hold"  # on a key result: share it into another objective
    LINK = "link"  # on a measure: link it to a key result, whose check-ins then write it
    GRADE = "grade"  # on an OKR objective: final grade and retrospective
    REVIEW = "review"  # on a cycle: activate, close and grade every objective at close
    # on an alert snooze: hide an alert from one's own view. Not a write to the
    # organisation's data (a viewer may snooze too), and only ever one's own.
    SNOOZE = "snooze"
    # on a person: their own time zone and language, how they read the pages (a viewer too).
    PREFER = "prefer"
    # on a signed-in session: end it. One's own, a viewer's too: never a write to the data.
    SIGN_OUT = "sign_out"


WRITES = frozenset(Action) - {Action.VIEW, Action.SNOOZE, Action.PREFER, Action.SIGN_OUT}

Reader = Any  # lodestar.org.reader.Reader, which imports this module
ObjectRule = Callable[[Reader, Action, Any], bool]
QueryRule = Callable[[Reader], QuerySet]


@dataclass(frozen=True)
class Rules:
    may: ObjectRule
    shown: QueryRule


RULES: dict[type[Model], Rules] = {}


def every_reader(model: type[Model]) -> QueryRule:
    """The queryset rule of what every reader sees whole."""
    return lambda reader: model._default_manager.all()


def nobody(model: type[Model]) -> QueryRule:
    """The queryset rule of what only admins see."""
    return lambda reader: model._default_manager.none()


def rule(*models: type[Model], shown: Callable[[type[Model]], QueryRule] = every_reader):
    """Registers the decorated object rule for `models`, with the queryset rule `shown`
    makes for each (a factory, so that one rule serves several models)."""

    def register(may: ObjectRule) -> ObjectRule:
        for model in models:
            RULES[model] = Rules(may, shown(model))
        return may

    return register


def shown_by(query: QueryRule) -> Callable[[type[Model]], QueryRule]:
    """A model's own queryset rule, for `rule(..., shown=shown_by(query))`."""
    return lambda model: query


# Organisation ---------------------------------------------------------------------------
@rule(Unit)
def may_unit(reader, action, unit) -> bool:
    if action == Action.VIEW:
        return True
    if action == Action.ADD_OKR:
        return reader.is_strategy_office or reader.leads(unit.pk) or unit.pk in reader.member_units
    if action == Action.ADD:  # a scorecard, a sub-unit's strategy
        return reader.is_strategy_office or reader.leads(unit.pk)
    return False  # the tree itself is the admin's


@rule(Person)
def may_person(reader, action, person) -> bool:
    if action == Action.ADD_OKR:  # a personal objective for this person
        return reader.writes_for(person)
    own = person.pk == reader.person.pk
    return action == Action.VIEW or (action in (Action.CHANGE, Action.PREFER) and own)


@rule(Membership)
def may_membership(reader, action, membership) -> bool:
    return action == Action.VIEW  # placing people is the admin's


def own_sessions(reader) -> QuerySet[SignedInSession]:
    return SignedInSession.objects.filter(person_id=reader.person.pk)


@rule(SignedInSession, shown=shown_by(own_sessions))
def may_signed_in_session(reader, action, session) -> bool:
    """Where one is signed in is one's own: seen and ended by oneself (and the admin)."""
    mine = session.person_id == reader.person.pk
    return mine and action in (Action.VIEW, Action.SIGN_OUT)


@rule(SecondFactorPolicy, shown=nobody)
def may_second_factor_policy(reader, action, policy) -> bool:
    return False  # the admin's alone


# Strategy -------------------------------------------------------------------------------
def sees_scorecard(reader, scorecard) -> bool:
    """A draft scorecard (and all in it) is its maker's and the strategy office's alone."""
    return (
        not scorecard.draft
        or reader.is_strategy_office
        or scorecard.created_by_id == reader.person.pk
    )


def shown_scorecards(reader) -> QuerySet[Scorecard]:
    """The list-side twin of `sees_scorecard`."""
    if reader.is_strategy_office:
        return Scorecard.objects.all()
    return Scorecard.objects.filter(Q(published_at__isnull=False) | Q(created_by=reader.person))


def in_shown_scorecards(path: str) -> Callable[[type[Model]], QueryRule]:
    """The queryset rule of a part of a scorecard, reached by `path` ("scorecard",
    "objective__scorecard"…): the parts of the scorecards this reader sees."""
    return lambda model: (
        lambda reader: model._default_manager.filter(**{f"{path}__in": shown_scorecards(reader)})
    )


def may_strategy(reader, action, scorecard) -> bool:
    if not sees_scorecard(reader, scorecard):
        return False
    return action == Action.VIEW or reader.is_strategy_office or reader.leads(scorecard.unit_id)


@rule(Scorecard, shown=shown_by(shown_scorecards))
def may_scorecard(reader, action, scorecard) -> bool:
    return may_strategy(reader, action, scorecard)


@rule(Perspective, Theme, shown=in_shown_scorecards("scorecard"))
def may_part_of_scorecard(reader, action, part) -> bool:
    return may_strategy(reader, action, part.scorecard)


@rule(StrategicObjective, shown=in_shown_scorecards("scorecard"))
def may_strategic_objective(reader, action, objective) -> bool:
    return may_strategy(reader, action, objective.scorecard)


@rule(CauseEffectLink, shown=in_shown_scorecards("cause__scorecard"))
def may_cause_effect_link(reader, action, link) -> bool:
    return may_strategy(reader, action, link.cause.scorecard)


@rule(Measure, shown=in_shown_scorecards("objective__scorecard"))
def may_measure(reader, action, measure) -> bool:
    # Linking a measure makes check-ins write its values: the same right as recording.
    action = Action.ADD if action == Action.LINK else action
    if not sees_scorecard(reader, measure.objective.scorecard):
        return False
    # The owner of a measure records its values.
    if action == Action.ADD and measure.owner_id == reader.person.pk:
        return True
    return may_strategy(reader, action, measure.objective.scorecard)


@rule(MeasureValue, shown=in_shown_scorecards("measure__objective__scorecard"))
def may_measure_value(reader, action, value) -> bool:
    return may_measure(reader, Action.ADD if action != Action.VIEW else action, value.measure)


@rule(MeasurePlan, shown=in_shown_scorecards("measure__objective__scorecard"))
def may_measure_plan(reader, action, plan) -> bool:
    return may_strategy(reader, action, plan.measure.objective.scorecard)


@rule(Initiative)
def may_initiative(reader, action, initiative) -> bool:
    if action == Action.VIEW or reader.is_strategy_office:
        return True
    if initiative.owner_id == reader.person.pk and action == Action.CHANGE:
        return True
    units = initiative.strategic_objectives.values_list("scorecard__unit_id", flat=True)
    return any(reader.leads(unit_id) for unit_id in units)


# OKRs -----------------------------------------------------------------------------------
@rule(Cycle)
def may_cycle(reader, action, cycle) -> bool:
    if action == Action.REVIEW:
        return reader.is_strategy_office or reader.leads_company
    return action == Action.VIEW or reader.is_strategy_office


def shown_objectives(reader) -> QuerySet[Objective]:
    """The list-side twin of `may_objective` for VIEW."""
    # Subqueries, not the reader's sets of ids: the company's lead would send every unit
    # twice and every person once, in every query that lists objectives.
    led_units = reader.lead_units_subquery
    led_members = Membership.objects.filter(unit__in=led_units).values("person")
    return Objective.objects.filter(
        Q(visibility=Objective.Visibility.PUBLIC)
        | Q(owner=reader.person)
        | Q(unit__in=led_units)
        | Q(unit__isnull=True, owner__in=led_members)
        | Q(owner__in=reader.reports_subquery)
    )


@rule(Objective, shown=shown_by(shown_objectives))
def may_objective(reader, action, objective) -> bool:
    private = objective.visibility == objective.Visibility.PRIVATE
    if private and not reader.sees_private(objective):
        return False
    if action == Action.VIEW:
        return True
    if action == Action.ADD_OKR:
        return False  # OKRs are written for units and people, not inside objectives
    if action == Action.GRADE and reader.can(Action.REVIEW, objective.cycle):
        return True  # who runs the cycle's review grades every objective they see
    if reader.is_strategy_office or objective.owner_id == reader.person.pk:
        return True
    units = reader.objective_units(objective)
    return any(reader.leads(u) or u in reader.member_units for u in units)


def shown_key_results(reader) -> QuerySet[KeyResult]:
    held = ObjectiveKeyResult.objects.filter(objective__in=reader.visible(Objective))
    return KeyResult.objects.filter(Q(owner=reader.person) | Q(pk__in=held.values("key_result")))


@rule(KeyResult, shown=shown_by(shown_key_results))
def may_key_result(reader, action, key_result) -> bool:
    owns = key_result.owner_id == reader.person.pk
    if action in (Action.VIEW, Action.HOLD):
        # Holding someone's key result changes only the holder's objective.
        return owns or any(
            may_objective(reader, Action.VIEW, o) for o in key_result.okr_objectives.all()
        )
    if action not in (Action.CHANGE, Action.DELETE, Action.CHECK_IN):
        return False
    if owns:
        return True
    home = home_objective(key_result)
    return home is not None and may_objective(reader, Action.CHANGE, home)


def home_objective(key_result):
    """The objective a key result was created in: its first holding. Another objective
    that shares it gains no right over it."""
    holding = (
        key_result.holdings.select_related("objective__owner", "objective__unit")
        .order_by("pk")
        .first()
    )
    return holding.objective if holding else None


@rule(
    ObjectiveKeyResult,
    shown=shown_by(
        lambda reader: ObjectiveKeyResult.objects.filter(objective__in=reader.visible(Objective))
    ),
)
def may_holding(reader, action, holding) -> bool:
    return may_objective(
        reader, Action.CHANGE if action != Action.VIEW else action, holding.objective
    )


@rule(
    CheckIn,
    shown=shown_by(lambda reader: CheckIn.objects.filter(key_result__in=reader.visible(KeyResult))),
)
def may_checkin(reader, action, checkin) -> bool:
    if action == Action.VIEW:
        return may_key_result(reader, action, checkin.key_result)
    return False  # check-ins are append-only


# Conversation ---------------------------------------------------------------------------
def shown_comments(reader) -> QuerySet[Comment]:
    """The list-side twin of `may_comment`: the comments on the objects the reader sees."""
    return Comment.objects.filter(
        Q(objective__in=reader.visible(Objective))
        | Q(key_result__in=reader.visible(KeyResult))
        | Q(strategic_objective__in=reader.visible(StrategicObjective))
        | Q(measure__in=reader.visible(Measure))
        | Q(initiative__in=reader.visible(Initiative))
    )


@rule(Comment, shown=shown_by(shown_comments))
def may_comment(reader, action, comment) -> bool:
    """Whoever sees the object sees its thread and may write in it; one's own words are
    one's own to edit and delete (the reader lets admins delete anyone's)."""
    if not reader.can(Action.VIEW, comment.target):
        return False
    if action in (Action.VIEW, Action.ADD):
        return True
    return action in (Action.CHANGE, Action.DELETE) and comment.author_id == reader.person.pk


# Integration ----------------------------------------------------------------------------
@rule(WebhookSubscription, WebhookDelivery, shown=nobody)
def may_webhook(reader, action, subscription_or_delivery) -> bool:
    return False  # subscriptions carry signing secrets: admins only


@rule(ApiToken, shown=shown_by(lambda reader: ApiToken.objects.filter(person=reader.person)))
def may_api_token(reader, action, token) -> bool:
    return token.person_id == reader.person.pk


# What one person has chosen to see ------------------------------------------------------
@rule(AlertSnooze, shown=shown_by(lambda reader: AlertSnooze.objects.filter(person=reader.person)))
def may_alert_snooze(reader, action, snooze) -> bool:
    # A snooze is one person's view of the alerts; the services write only the
    # acting person's own, so this rule is what a request for another's meets.
    return action in (Action.VIEW, Action.SNOOZE) and snooze.person_id == reader.person.pk


@rule(ImportJob, shown=shown_by(lambda reader: ImportJob.objects.filter(person=reader.person)))
def may_import_job(reader, action, job) -> bool:
    # What an import did names what its file held: its person's (and the admins').
    return action == Action.VIEW and job.person_id == reader.person.pk


@rule(ImportMapping)
def may_import_mapping(reader, action, mapping) -> bool:
    """The installation's named ways to read a spreadsheet: whoever imports reads them;
    only whoever saved one replaces or removes it (and the admins, as everywhere)."""
    return action == Action.VIEW or mapping.saved_by_id == reader.person.pk


# Measures that fill themselves (lodestar.sources) ----------------------------------------
def shown_to_the_strategy_office(model: type[Model]) -> QueryRule:
    return lambda reader: (
        model._default_manager.all() if reader.is_strategy_office else model._default_manager.none()
    )


@rule(DataSource, shown=shown_to_the_strategy_office)
def may_data_source(reader, action, source) -> bool:
    # A source names a database connection and runs queries: the strategy office's.
    return reader.is_strategy_office


@rule(SyncRun, shown=shown_to_the_strategy_office)
def may_sync_run(reader, action, run) -> bool:
    return action == Action.VIEW and reader.is_strategy_office
