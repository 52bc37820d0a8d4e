"""Everything the alignment page shows, from one snapshot (a fixed number of queries)."""

from dataclasses import dataclass

from lodestar.insights import conflicts, evidence, execution, gaps, quality
from lodestar.insights.alerts import Alert, alerts_from
from lodestar.insights.snapshot import load
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.strategy.models import Measure, StrategicObjective


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


def alignment_report(person: Person, *, unit: Unit | None = None) -> AlignmentReport:
    snapshot = load(person, unit=unit)
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
    )
