"""Reads of OKRs that need care: which objectives and key results a person may see,
as querysets (for lists, without a query per row). They agree with
`lodestar.org.permissions` (`Access.sees_private`), which decides for one object."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, QuerySet

from lodestar import scoring
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.org.models import Membership, Person
from lodestar.org.permissions import access_for


def active_cycle(among: Iterable[Cycle] | None = None) -> Cycle | None:
    """The one cycle that execution scores and alerts speak of, if any. `among`: the
    cycles when the caller has them loaded already (no query then)."""
    if among is None:
        return Cycle.objects.filter(state=Cycle.State.ACTIVE).first()
    return next((cycle for cycle in among if cycle.state == Cycle.State.ACTIVE), None)


def reports_of(person: Person) -> set[int]:
    """Everyone below the person in the management chain: one recursive query (standard
    SQL, the same on SQLite and PostgreSQL); UNION, not UNION ALL, so a corrupt loop in
    the chain ends instead of recursing for ever. Kept on the person object, which lives
    as long as one request (as its access is)."""
    kept = getattr(person, "_lodestar_reports", None)
    if kept is not None:
        return kept
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE below(id) AS (
                SELECT id FROM {table} WHERE manager_id = %s
                UNION
                SELECT p.id FROM {table} p JOIN below b ON p.manager_id = b.id
            )
            SELECT id FROM below
            """,
            [person.pk],
        )
        found = {row[0] for row in cursor.fetchall()}
    person._lodestar_reports = found
    return found


def visible_objectives(person: Person) -> QuerySet[Objective]:
    access = access_for(person)
    if not access.active:
        return Objective.objects.none()
    if access.is_admin:
        return Objective.objects.all()
    led_members = Membership.objects.filter(unit__in=access.lead_units).values("person")
    return Objective.objects.filter(
        Q(visibility=Objective.Visibility.PUBLIC)
        | Q(owner=person)
        | Q(unit__in=access.lead_units)
        | Q(unit__isnull=True, owner__in=led_members)
        | Q(owner__in=reports_of(person))
    )


def visible_key_results(person: Person) -> QuerySet[KeyResult]:
    access = access_for(person)
    if not access.active:
        return KeyResult.objects.none()
    if access.is_admin:
        return KeyResult.objects.all()
    held = ObjectiveKeyResult.objects.filter(objective__in=visible_objectives(person))
    return KeyResult.objects.filter(Q(owner=person) | Q(pk__in=held.values("key_result")))


def visible_checkins(person: Person) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(key_result__in=visible_key_results(person))


# Cycle review ---------------------------------------------------------------------------
def changeable_okr_objectives(
    person: Person, visible: QuerySet[Objective] | None = None
) -> QuerySet[Objective]:
    """The objectives the person may change (and so grade), as one queryset: the list-side
    twin of `Access._objective` for Action.CHANGE, as `visible_objectives` is for VIEW.
    `visible`: the person's visible objectives (or some of them), when the caller has
    them already; building them again costs a query."""
    access = access_for(person)
    if not access.active or access.read_only:
        return Objective.objects.none()
    if access.is_admin:
        return Objective.objects.all()
    if visible is None:
        visible = visible_objectives(person)
    if access.is_strategy_office:
        return visible
    units = access.lead_units | access.member_units
    unit_people = Membership.objects.filter(unit__in=units).values("person")
    return visible.filter(
        Q(owner=person) | Q(unit__in=units) | Q(unit__isnull=True, owner__in=unit_people)
    )


def objective_succeeded(objective: Objective) -> bool | None:
    """On the final grade once graded, else on the current score; None without either."""
    return succeeded_on(objective.final_grade, objective.score, objective.kind)


def succeeded_on(final_grade: float | None, score: float | None, kind: str) -> bool | None:
    """`objective_succeeded` from the three figures (for rows read without a model)."""
    grade = final_grade if final_grade is not None else score
    return None if grade is None else scoring.okr_succeeded(grade, kind)
