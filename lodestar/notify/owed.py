"""What a person owes this week: check-ins on key results that need one, measure values
due by each measure's frequency, and grades and retrospectives owed at close. Read by
the reminders and by "What I owe" on /my/."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from lodestar.okrs.models import Cycle, Objective
from lodestar.okrs.selectors import active_cycle, changeable_okr_objectives, visible_objectives
from lodestar.org.models import Person
from lodestar.strategy.models import Measure, MeasureValue
from lodestar.web.pagedata.okrs import KeyResultRow, my_key_results


def last_period(measure: Measure, today: date) -> date:
    """The first day of the last finished period: last month, or last quarter."""
    if measure.frequency == Measure.Frequency.QUARTERLY:
        first_month = 3 * ((today.month - 1) // 3) + 1
        year, month = (today.year, first_month - 3)
    else:
        year, month = today.year, today.month - 1
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def due_measure_values(today: date, owner: Person | None = None) -> list[tuple[Measure, date]]:
    """Measures (of one owner, or every owned one) without a value for their last
    finished period, with that period."""
    measures = Measure.objects.filter(owner__isnull=False).select_related("owner", "objective")
    if owner is not None:
        measures = measures.filter(owner=owner)
    measures = list(measures.order_by("name"))
    periods = {m.pk: last_period(m, today) for m in measures}
    recorded = set()
    if measures:
        recorded = set(
            MeasureValue.objects.filter(
                measure__in=measures, period__in=set(periods.values())
            ).values_list("measure_id", "period")
        )
    return [(m, periods[m.pk]) for m in measures if (m.pk, periods[m.pk]) not in recorded]


def owed_grades(person: Person) -> list[Objective]:
    """Objectives of the latest closed cycle the person may grade that still lack a
    retrospective."""
    closed = Cycle.objects.filter(state=Cycle.State.CLOSED).order_by("-end").first()
    if closed is None:
        return []
    in_cycle = visible_objectives(person).filter(cycle=closed)
    return list(
        changeable_okr_objectives(person, in_cycle)
        .filter(retrospective="")
        .filter(owner=person)
        .order_by("title")
    )


@dataclass
class Owed:
    checkins: list[KeyResultRow] = field(default_factory=list)
    measure_values: list[tuple[Measure, date]] = field(default_factory=list)
    grades: list[Objective] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.checkins or self.measure_values or self.grades)


def owed_by(
    person: Person, now: datetime | None = None, rows: list[KeyResultRow] | None = None
) -> Owed:
    """`rows`: the person's key result rows of the active cycle, when already read."""
    now = now or timezone.now()
    if rows is None:
        cycle = active_cycle()
        rows = my_key_results(person, cycle, now) if cycle else []
    return Owed(
        checkins=[row for row in rows if row.needs_checkin],
        measure_values=due_measure_values(timezone.localdate(now), owner=person),
        grades=owed_grades(person),
    )
