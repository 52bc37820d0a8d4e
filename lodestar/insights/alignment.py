"""Everything the alignment page shows, from one snapshot (a fixed number of queries)."""

from dataclasses import dataclass

from lodestar import scoring
from lodestar.insights import conflicts, evidence, execution, forecast, gaps, pace, quality
from lodestar.insights.alerts import Alert, alerts_from
from lodestar.insights.snapshot import load
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.strategy.models import Measure, StrategicObjective


@dataclass(frozen=True)
class ObjectiveOutlook:
    objective: Objective
    pace: scoring.Pace | None
    forecast: forecast.ObjectiveForecast

    @property
    def pace_word(self) -> str:
        return self.pace.value.replace("_", " ") if self.pace else ""


@dataclass(frozen=True)
class AlignmentReport:
    cycle: Cycle | None
    unit: Unit | None
    alerts: list[Alert]
    orphans: list[Objective]
    unserved: list[StrategicObjective]
    balance: list[gaps.PerspectiveEffort]
    execution_gaps: list[execution.ExecutionGap]
    quality: list[quality.QualityIssue]
    opposite_pulls: list[conflicts.OppositePull]
    against_measure: list[tuple[KeyResult, Measure]]
    overloaded: list[tuple[Person, int]]
    units_without_okrs: list[Unit]
    evidence: list[evidence.LinkEvidence]
    outlook: list[ObjectiveOutlook]  # every shown objective of the active cycle


def alignment_report(person: Person, *, unit: Unit | None = None) -> AlignmentReport:
    snapshot = load(person, unit=unit)
    paces = pace.key_result_paces(snapshot)
    forecasts = forecast.forecasts(snapshot)
    shown = [o for o in snapshot.in_cycle(snapshot.cycle) if snapshot.shown(o)]
    return AlignmentReport(
        cycle=snapshot.cycle,
        unit=unit,
        alerts=alerts_from(snapshot),
        orphans=gaps.orphan_objectives(snapshot),
        unserved=gaps.unserved_objectives(snapshot),
        balance=gaps.perspective_balance(snapshot),
        execution_gaps=execution.gaps_over_cycles(snapshot),
        quality=quality.quality_issues(snapshot),
        opposite_pulls=conflicts.opposite_pulls(snapshot),
        against_measure=conflicts.against_measure(snapshot),
        overloaded=conflicts.overloaded_owners(snapshot),
        units_without_okrs=conflicts.units_without_okrs(snapshot),
        evidence=evidence.link_evidence(snapshot),
        outlook=[
            ObjectiveOutlook(
                o,
                pace.objective_pace(snapshot, o, paces),
                forecast.objective_forecast(snapshot, o, forecasts),
            )
            for o in sorted(shown, key=lambda o: o.title)
        ],
    )
