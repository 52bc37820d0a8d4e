"""Reads of OKRs that need care: which objectives and key results a person may see, as
querysets (for lists, without a query per row): the queryset rules of `lodestar.org.rules`,
asked of the person's reader, beside the object rules they agree with."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from lodestar import scoring
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.org.models import Membership, Person
from lodestar.org.permissions import reader_for


def active_cycle(among: Iterable[Cycle] | None = None) -> Cycle | None:
    """The one cycle that execution scores and alerts speak of, if any. `among`: the
    cycles when the caller has them loaded already (no query then)."""
    if among is None:
        return Cycle.objects.filter(state=Cycle.State.ACTIVE).first()
    return next((cycle for cycle in among if cycle.state == Cycle.State.ACTIVE), None)


def reports_of(person: Person) -> set[int]:
    """Everyone below the person in the management chain (the reader's `reports`)."""
    return reader_for(person).reports


def visible_objectives(person: Person) -> QuerySet[Objective]:
    return reader_for(person).visible(Objective)


def visible_key_results(person: Person) -> QuerySet[KeyResult]:
    return reader_for(person).visible(KeyResult)


def visible_checkins(person: Person) -> QuerySet[CheckIn]:
    return reader_for(person).visible(CheckIn)


# Cycle review ---------------------------------------------------------------------------
def changeable_okr_objectives(
    person: Person, visible: QuerySet[Objective] | None = None
) -> QuerySet[Objective]:
    """The objectives the person may change (and so grade), as one queryset: the list-side
    twin of `rules.may_objective` for Action.CHANGE, as `visible_objectives` is for VIEW.
    `visible`: the person's visible objectives (or some of them), when the caller has
    them already; building them again costs a query."""
    access = reader_for(person)
    if not access.active or access.read_only:
        return Objective.objects.none()
    if access.is_admin:
        return Objective.objects.all()
    if visible is None:
        visible = visible_objectives(person)
    if access.is_strategy_office:
        return visible
    # The led units as a subquery (the company's lead leads every unit: `shown_objectives`);
    # `unit` names the objective's unit and the membership's alike.
    in_units = Q(unit__in=access.lead_units_subquery) | Q(unit__in=access.member_units)
    unit_people = Membership.objects.filter(in_units).values("person")
    return visible.filter(Q(owner=person) | in_units | Q(unit__isnull=True, owner__in=unit_people))


def objective_succeeded(objective: Objective) -> bool | None:
    """On the final grade once graded, else on the current score; None without either."""
    return succeeded_on(objective.final_grade, objective.score, objective.kind)


def succeeded_on(final_grade: float | None, score: float | None, kind: str) -> bool | None:
    """`objective_succeeded` from the three figures (for rows read without a model)."""
    grade = final_grade if final_grade is not None else score
    return None if grade is None else scoring.okr_succeeded(grade, kind)
