"""Alerts: every insight that needs someone's attention, as one plain sentence that
links to the thing it is about. The dashboard, unit pages, the alignment page, the API
and the weekly digest all read them from `alerts_for`. Each kind's rule is written out
in docs/insights.md."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from lodestar import scoring, tree
from lodestar.insights import conflicts, execution, gaps, pace, quality
from lodestar.insights.kept import Scope
from lodestar.insights.snapshot import Snapshot, load
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.org.reader import Reader
from lodestar.scores.words import okr_colour_of
from lodestar.scoring.outcomes import OKR_JUDGEMENT
from lodestar.strategy.models import Measure

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}

# kind → severity; the digest groups kinds into sections.
SEVERITY = {
    "at_risk_key_result": "high",
    "execution_without_impact": "high",
    "conflicting_key_results": "high",
    "stale_key_result": "medium",
    "orphan_objective": "medium",
    "unserved_strategic_objective": "medium",
    "starved_perspective": "medium",
    "objective_without_owner": "medium",
    "key_result_incomplete": "medium",
    "key_result_against_measure": "medium",
    "overloaded_owner": "medium",
    "over_served_perspective": "low",
    "impact_without_execution": "low",
    "too_few_key_results": "low",
    "too_many_key_results": "low",
    "activity_key_result": "low",
    "unit_without_okrs": "low",
}


@dataclass(frozen=True)
class Alert:
    kind: str  # machine name, e.g. "orphan_objective"
    severity: str  # "high" | "medium" | "low"
    message: str  # one plain sentence
    url: str  # the page of the thing it is about
    subject: str  # the name of that thing
    owner: str = ""  # who owns that thing ("" when nobody who is still here does)
    # the unit that thing belongs to, with the units above it, the company first:
    # ((id, name), …); empty when it belongs to no unit
    units: tuple[tuple[int, str], ...] = ()

    @property
    def unit(self) -> str:
        return self.units[-1][1] if self.units else ""


@dataclass(frozen=True)
class About:
    """Whose and which unit's the thing an alert speaks of is."""

    owner_id: int | None
    unit_id: int | None


def alert(
    snapshot: Snapshot, kind: str, message: str, url_name: str, pk: int, subject: str, about: About
) -> Alert:
    return Alert(
        kind,
        SEVERITY[kind],
        message,
        reverse(url_name, args=[pk]),
        subject,
        owner=owner_name(snapshot, about.owner_id),
        units=unit_chain(snapshot, about.unit_id),
    )


def owner_name(snapshot: Snapshot, person_id: int | None) -> str:
    if person_id is None or person_id not in snapshot.active_people:
        return ""
    return str(snapshot.person(person_id))


def unit_chain(snapshot: Snapshot, unit_id: int | None) -> tuple[tuple[int, str], ...]:
    units = snapshot.units
    if unit_id not in units:
        return ()
    chain = tree.ancestors(unit_id, tree.parent_within(units, lambda unit: unit.parent_id))
    return tuple((pk, units[pk].name) for pk in reversed([unit_id, *chain]))


def objective_about(snapshot: Snapshot, objective: Objective) -> About:
    """A unit's objective is the unit's; a personal one its owner's first unit's."""
    units = sorted(snapshot.objective_units(objective))
    return About(objective.owner_id, units[0] if units else None)


def key_result_about(snapshot: Snapshot, key_result: KeyResult) -> About:
    """A key result belongs where its home objective (the first shown holder) does."""
    homes = sorted(o for o in snapshot.holders.get(key_result.pk, ()) if o in snapshot.objectives)
    unit_id = objective_about(snapshot, snapshot.objectives[homes[0]]).unit_id if homes else None
    return About(key_result.owner_id, unit_id)


def strategic_about(snapshot: Snapshot, objective_id: int) -> About:
    so = snapshot.strategic[objective_id]
    return About(so.owner_id, so.scorecard.unit_id)


def measure_about(snapshot: Snapshot, measure: Measure) -> About:
    return About(measure.owner_id, strategic_about(snapshot, measure.objective_id).unit_id)


def alerts_for(person: Person, *, unit: Unit | None = None) -> list[Alert]:
    """The alerts this person may see (visibility respected), company-wide, or for one unit's
    subtree when `unit` is given; most severe first.

    Kept (`Reader.kept`) for the unit's subtree: shared figures count public objectives
    only, so the alerts depend on the reader only through the private objectives they may
    see; readers who see the same ones share a row."""
    unit_id = unit.pk if unit else 0
    return Reader.for_person(person).kept(alerts_figure, unit_id, scope=Scope(unit=unit_id or None))


def alerts_figure(person: Person, unit_id: int) -> list[Alert]:
    unit = Unit.objects.get(pk=unit_id) if unit_id else None
    return alerts_from(load(person, unit=unit))


def alert_counts(alerts: list[Alert]) -> list[tuple[str, str, int]]:
    """(severity, kind in words, how many) for a list of alerts, in the list's order:
    what a page says about the alerts it does not show one by one."""
    counts: dict[tuple[str, str], int] = {}
    for found in alerts:
        key = (found.severity, found.kind.replace("_", " "))
        counts[key] = counts.get(key, 0) + 1
    return [(severity, kind, count) for (severity, kind), count in counts.items()]


def alerts_from(snapshot: Snapshot) -> list[Alert]:
    found = [
        *pace_alerts(snapshot),
        *alignment_alerts(snapshot),
        *execution_alerts(snapshot),
        *quality_alerts(snapshot),
        *conflict_alerts(snapshot),
    ]
    return sorted(found, key=lambda a: (SEVERITY_ORDER[a.severity], a.kind, a.subject))


def pace_alerts(snapshot: Snapshot) -> list[Alert]:
    found = []
    for key_result, kr_pace in pace.late_key_results(snapshot):
        if kr_pace == scoring.Pace.STALE:
            kind = "stale_key_result"
            message = (
                f"“{key_result.title}” has had no check-in for more than "
                f"{settings.STALE_AFTER_DAYS} days."
            )
        else:
            kind = "at_risk_key_result"
            message = f"“{key_result.title}” is at risk of missing its target."
        about = key_result_about(snapshot, key_result)
        found.append(
            alert(snapshot, kind, message, "key-result", key_result.pk, key_result.title, about)
        )
    return found


def alignment_alerts(snapshot: Snapshot) -> list[Alert]:
    found = [
        alert(
            snapshot,
            "orphan_objective",
            f"“{o.title}” serves no strategic objective, directly or through its parents.",
            "objective",
            o.pk,
            o.title,
            objective_about(snapshot, o),
        )
        for o in gaps.orphan_objectives(snapshot)
    ]
    found += [
        alert(
            snapshot,
            "unserved_strategic_objective",
            f"No OKR of {snapshot.cycle} serves “{so}”.",
            "strategic-objective",
            so.pk,
            str(so),
            strategic_about(snapshot, so.pk),
        )
        for so in gaps.unserved_objectives(snapshot)
    ]
    for effort in gaps.perspective_balance(snapshot):
        if effort.verdict not in ("starved", "over-served"):
            continue
        kind = "starved_perspective" if effort.verdict == "starved" else "over_served_perspective"
        scorecard = snapshot.perspectives[effort.perspective_id].scorecard
        found.append(
            alert(
                snapshot,
                kind,
                f"{effort.name} ({effort.scorecard}) is {effort.verdict}: "
                f"{effort.objectives} OKR objective{'s' if effort.objectives != 1 else ''}, "
                f"{effort.share:.0%} of the OKR effort.",
                "strategy-map",
                scorecard.pk,
                effort.name,
                About(None, scorecard.unit_id),
            )
        )
    return found


def execution_alerts(snapshot: Snapshot) -> list[Alert]:
    if snapshot.cycle is None:
        return []
    found = []
    for gap in execution.execution_gaps(snapshot, snapshot.cycle):
        so = gap.objective
        moved = f"{round(gap.movement, 2) + 0.0:+.2f}"  # + 0.0: no "-0.00" for a tiny fall
        if gap.kind == execution.EXECUTION_WITHOUT_IMPACT:
            # Worded as it was judged: on pace while the cycle runs, by the OKR bands (the
            # one table's words) once it has closed, never "on pace" in a closed record.
            judged = (
                OKR_JUDGEMENT[okr_colour_of(gap.execution)]
                if gap.cycle.state == Cycle.State.CLOSED
                else "are on pace"
            )
            message = (
                f"OKRs serving “{so}” {judged} (execution {gap.execution:.2f}) but its "
                f"measures have not moved this cycle ({moved} of the way)."
            )
        else:
            message = (
                f"The measures of “{so}” moved {moved} of the way to target "
                f"this cycle with no OKR behind them."
            )
        about = strategic_about(snapshot, so.pk)
        found.append(
            alert(snapshot, gap.kind, message, "strategic-objective", so.pk, str(so), about)
        )
    return found


def quality_alerts(snapshot: Snapshot) -> list[Alert]:
    found = []
    for issue in quality.quality_issues(snapshot):
        if issue.key_result is not None:
            kr = issue.key_result
            message = f"“{kr.title}”: {issue.reason}"
            about = key_result_about(snapshot, kr)
            found.append(alert(snapshot, issue.kind, message, "key-result", kr.pk, kr.title, about))
        else:
            o = issue.objective
            message = f"“{o.title}”: {issue.reason}"
            about = objective_about(snapshot, o)
            found.append(alert(snapshot, issue.kind, message, "objective", o.pk, o.title, about))
    return found


def conflict_alerts(snapshot: Snapshot) -> list[Alert]:
    found = []
    for pull in conflicts.opposite_pulls(snapshot):
        up = ", ".join(f"“{kr.title}”" for kr in pull.raising)
        down = ", ".join(f"“{kr.title}”" for kr in pull.lowering)
        found.append(
            alert(
                snapshot,
                "conflicting_key_results",
                f"{up} pushes “{pull.measure}” up while {down} pushes it down.",
                "measure",
                pull.measure.pk,
                pull.measure.name,
                measure_about(snapshot, pull.measure),
            )
        )
    for key_result, measure in conflicts.against_measure(snapshot):
        found.append(
            alert(
                snapshot,
                "key_result_against_measure",
                f"“{key_result.title}” moves “{measure}” the wrong way "
                f"({measure.get_direction_display().lower()}).",
                "key-result",
                key_result.pk,
                key_result.title,
                key_result_about(snapshot, key_result),
            )
        )
    limit = settings.KEY_RESULTS_PER_OWNER_LIMIT
    for person, count in conflicts.overloaded_owners(snapshot):
        found.append(
            alert(
                snapshot,
                "overloaded_owner",
                f"{person} owns {count} key results this cycle (the limit is {limit}).",
                "person",
                person.pk,
                str(person),
                About(person.pk, min(snapshot.person_units.get(person.pk, ()), default=None)),
            )
        )
    for unit in conflicts.units_without_okrs(snapshot):
        found.append(
            alert(
                snapshot,
                "unit_without_okrs",
                f"{unit} has no OKRs in {snapshot.cycle}, nor has any unit below it.",
                "unit",
                unit.pk,
                unit.name,
                About(None, unit.pk),
            )
        )
    return found
