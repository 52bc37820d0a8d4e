"""Insights: alerts, alignment gaps, OKR quality, conflicts, pace and forecasts, cause-effect
evidence and the caller's weekly digest. Read-only; every answer is what the caller may
see (private objectives stay hidden), company-wide or for one unit's subtree (`unit`).
The rules are written out in docs/insights.md."""

from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field, create_model

from lodestar.api.crud import ERRORS, Id
from lodestar.api.enums import AlertKind, EffortVerdict, GapKind, Pace, QualityKind, Severity
from lodestar.insights import conflicts, evidence, execution, forecast, gaps, pace, quality
from lodestar.insights.alert_groups import AlertGroup, grouped_alerts_for
from lodestar.insights.alerts import Alert
from lodestar.insights.digest import SECTIONS, digest_for
from lodestar.insights.snapshot import Snapshot, load
from lodestar.okrs.models import KeyResult
from lodestar.org.models import Unit

router = Router(tags=["insights"])


class Scope(Schema):
    unit: Id | None = Field(None, description="Only this unit's subtree; the company if empty.")


def unit_of(scope: Scope) -> Unit | None:
    if scope.unit is None:
        return None
    unit = Unit.objects.filter(pk=scope.unit).first()
    if unit is None:
        raise Http404
    return unit


def snapshot_for(request: HttpRequest, scope: Scope) -> Snapshot:
    return load(request.auth, unit=unit_of(scope))


class AlertPage(Schema):
    limit: int = Field(100, ge=1, le=1000, description="At most this many, most severe first.")
    offset: int = Field(0, ge=0, le=10**9, description="Skip this many first.")


class DigestAlertOut(Schema):
    kind: AlertKind
    severity: Severity
    message: str
    url: str = Field(description="The web page of the thing the alert is about.")
    subject: str
    owner: str = Field(description="Who owns that thing; empty when nobody still here does.")


class AlertOut(DigestAlertOut):
    unit: str = Field(description="The unit that thing belongs to; empty when none.")
    group: str = Field(
        description="Its group's key (see /insights/alert-groups), what a snooze names."
    )
    snoozed: bool = Field(description="The caller snoozed it (listed only with ?snoozed=true).")


class SnoozedFilter(Schema):
    snoozed: bool = Field(False, description="Also list the alerts the caller has snoozed.")


def alert_out(alert: Alert, group: AlertGroup, snoozed: bool) -> dict:
    return {**asdict(alert), "unit": alert.unit, "group": group.key, "snoozed": snoozed}


@router.get(
    "/insights/alerts",
    response={200: list[AlertOut], **ERRORS},
    operation_id="insights_alerts",
    summary="Every alert the caller may see, most severe first; snoozed ones left out",
)
def insights_alerts(
    request: HttpRequest,
    scope: Query[Scope],
    page: Query[AlertPage],
    shown: Query[SnoozedFilter],
):
    """Every alert of docs/insights.md the caller may see (private objectives never count), most
    severe first, paged by `limit` and `offset`; `unit` narrows it to a unit's subtree; the
    alerts the caller snoozed are left out unless `snoozed=true`."""
    grouped = grouped_alerts_for(request.auth, unit=unit_of(scope), now=timezone.now())
    found = grouped.flat(with_snoozed=shown.snoozed)
    return [alert_out(*row) for row in found[page.offset : page.offset + page.limit]]


class Ref(Schema):
    id: int
    name: str


class PerspectiveEffortOut(Schema):
    perspective: Ref
    scorecard: str
    objectives: int = Field(description="Active-cycle OKR objectives serving it.")
    weight: float = Field(description="Their summed weights.")
    share: float = Field(description="Its share of the scorecard's OKR effort, by count.")
    verdict: EffortVerdict


class ExecutionGapOut(Schema):
    kind: GapKind
    cycle: Ref
    strategic_objective: Ref
    execution: float | None
    movement: float = Field(description="Mean move of its measures, in shares of the way.")


class AlignmentOut(Schema):
    cycle: Ref | None = Field(description="The active cycle.")
    orphan_objectives: list[Ref]
    unserved_strategic_objectives: list[Ref]
    perspective_balance: list[PerspectiveEffortOut]
    execution_gaps: list[ExecutionGapOut] = Field(
        description="The active cycle first, then the closed cycles, newest first."
    )


def ref(obj: Model, name: str | None = None) -> dict:
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


@router.get(
    "/insights/alignment",
    response={200: AlignmentOut, **ERRORS},
    operation_id="insights_alignment",
    summary="Orphan OKRs, unserved strategic objectives, balance across perspectives, "
    "and the strategy-execution gap over cycles",
)
def insights_alignment(request: HttpRequest, scope: Query[Scope]):
    """OKR objectives serving no strategic objective, strategic objectives no OKR serves, each
    perspective's share of the OKR effort against its fair share, and the strategy-execution gap
    of the active and closed cycles."""
    snapshot = snapshot_for(request, scope)
    return {
        "cycle": ref(snapshot.cycle) if snapshot.cycle else None,
        "orphan_objectives": [ref(o, o.title) for o in gaps.orphan_objectives(snapshot)],
        "unserved_strategic_objectives": [ref(so) for so in gaps.unserved_objectives(snapshot)],
        "perspective_balance": [
            {
                "perspective": {"id": e.perspective_id, "name": e.name},
                "scorecard": e.scorecard,
                "objectives": e.objectives,
                "weight": e.weight,
                "share": e.share,
                "verdict": e.verdict,
            }
            for e in gaps.perspective_balance(snapshot)
        ],
        "execution_gaps": [
            {
                "kind": g.kind,
                "cycle": ref(g.cycle),
                "strategic_objective": ref(g.objective),
                "execution": g.execution,
                "movement": round(g.movement, 4),
            }
            for g in execution.gaps_over_cycles(snapshot)
        ],
    }


class QualityOut(Schema):
    kind: QualityKind
    objective: Ref
    key_result: Ref | None
    reason: str


@router.get(
    "/insights/quality",
    response={200: list[QualityOut], **ERRORS},
    operation_id="insights_quality",
    summary="OKR quality issues in the active and planned cycles, each with its reason",
)
def insights_quality(request: HttpRequest, scope: Query[Scope]):
    """The rules of docs/insights.md (too few or too many key results, no owner, incomplete,
    counting activity rather than results), each issue with the objective, the key result if
    any, and the reason in words."""
    return [
        {
            "kind": issue.kind,
            "objective": ref(issue.objective, issue.objective.title),
            "key_result": ref(issue.key_result, issue.key_result.title)
            if issue.key_result
            else None,
            "reason": issue.reason,
        }
        for issue in quality.quality_issues(snapshot_for(request, scope))
    ]


class OppositePullOut(Schema):
    measure: Ref
    raising: list[Ref]
    lowering: list[Ref]


class AgainstMeasureOut(Schema):
    key_result: Ref
    measure: Ref


class OverloadOut(Schema):
    person: Ref
    key_results: int


class ConflictsOut(Schema):
    limit: int = Field(description="KEY_RESULTS_PER_OWNER_LIMIT")
    opposite_pulls: list[OppositePullOut]
    against_measure: list[AgainstMeasureOut]
    overloaded_owners: list[OverloadOut]
    units_without_okrs: list[Ref]


@router.get(
    "/insights/conflicts",
    response={200: ConflictsOut, **ERRORS},
    operation_id="insights_conflicts",
    summary="Key results pulling a measure in opposite directions, overloaded owners, "
    "units without OKRs",
)
def insights_conflicts(request: HttpRequest, scope: Query[Scope]):
    """Measures that some key results raise and others lower, key results working against their
    linked measure's direction, owners holding more key results than the limit, and units
    without OKRs."""
    snapshot = snapshot_for(request, scope)
    return {
        "limit": settings.KEY_RESULTS_PER_OWNER_LIMIT,
        "opposite_pulls": [
            {
                "measure": ref(p.measure, p.measure.name),
                "raising": [ref(kr, kr.title) for kr in p.raising],
                "lowering": [ref(kr, kr.title) for kr in p.lowering],
            }
            for p in conflicts.opposite_pulls(snapshot)
        ],
        "against_measure": [
            {"key_result": ref(kr, kr.title), "measure": ref(m, m.name)}
            for kr, m in conflicts.against_measure(snapshot)
        ],
        "overloaded_owners": [
            {"person": ref(person), "key_results": count}
            for person, count in conflicts.overloaded_owners(snapshot)
        ],
        "units_without_okrs": [ref(u, u.name) for u in conflicts.units_without_okrs(snapshot)],
    }


class ForecastOut(Schema):
    n: int = Field(description="Check-ins used.")
    value: float | None = Field(description="Forecast value at the cycle end.")
    low: float | None = Field(description="95 % prediction interval, lower end.")
    high: float | None
    standard_error: float | None
    score: float | None = Field(description="The score the forecast value would earn.")
    reading: str


class KeyResultPaceOut(Schema):
    key_result: Ref
    pace: Pace
    forecast: ForecastOut


class ObjectivePaceOut(Schema):
    objective: Ref
    pace: Pace | None = Field(
        description="By its forecast score when it has one (docs/scoring.md), else its worst "
        "key result's; none without any."
    )
    forecast_score: float | None
    reading: str


class PaceOut(Schema):
    key_results: list[KeyResultPaceOut]
    objectives: list[ObjectivePaceOut]


def forecast_out(found: forecast.KeyResultForecast) -> dict:
    f = found.forecast
    return {
        "n": f.n,
        "value": f.value,
        "low": f.low,
        "high": f.high,
        "standard_error": f.standard_error,
        "score": found.score,
        "reading": found.reading,
    }


@router.get(
    "/insights/pace",
    response={200: PaceOut, **ERRORS},
    operation_id="insights_pace",
    summary="Pace and end-of-cycle forecast of every key result and objective of the active cycle",
)
def insights_pace(request: HttpRequest, scope: Query[Scope]):
    """Each visible key result's and objective's word and forecast at the cycle end: the
    forecast decides the word once there is one (docs/scoring.md), else the pace against
    the elapsed share of the cycle; an objective without one reads its worst key result's."""
    snapshot = snapshot_for(request, scope)
    paces = pace.key_result_paces(snapshot)
    forecasts = forecast.forecasts(snapshot)
    objectives = [o for o in snapshot.in_cycle(snapshot.cycle) if snapshot.shown(o)]
    return {
        "key_results": [
            {
                "key_result": ref(kr, kr.title),
                "pace": paces[kr.pk],
                "forecast": forecast_out(forecasts[kr.pk]),
            }
            for kr in sorted(snapshot.key_results.values(), key=lambda k: k.title)
            if kr.pk in paces and snapshot.shown_key_result(kr)
        ],
        "objectives": [
            {
                "objective": ref(o, o.title),
                "pace": pace.objective_pace(snapshot, o, paces),
                "forecast_score": (
                    found := forecast.objective_forecast(snapshot, o, forecasts)
                ).score,
                "reading": found.reading,
            }
            for o in sorted(objectives, key=lambda o: o.title)
        ],
    }


@router.get(
    "/key-results/{id}/forecast",
    response={200: ForecastOut, **ERRORS},
    operation_id="key_result_forecast",
    summary="Forecast of a key result's value at its cycle end, with the uncertainty",
    tags=["key-results"],
)
def key_result_forecast(request: HttpRequest, id: Id):
    """A trend line through its check-ins, read at the cycle end, with a 95 % prediction
    interval and the score that value would earn. Milestones get no trend line; 404 when the
    caller may not see it."""
    key_result = request.reader.load(KeyResult.objects.select_related("cycle"), id)
    return forecast_out(forecast.key_result_forecast_from_db(key_result))


class CorrelationOut(Schema):
    lag: int = Field(description="Periods (months) the effect is shifted after the cause.")
    n: int = Field(description="Pairs of month-to-month changes compared.")
    r: float | None = Field(description="Pearson's r; none with too little data.")
    reading: str


class LinkEvidenceOut(Schema):
    link: int
    cause: Ref
    effect: Ref
    correlations: list[CorrelationOut]
    reading: str


@router.get(
    "/insights/evidence",
    response={200: list[LinkEvidenceOut], **ERRORS},
    operation_id="insights_evidence",
    summary="For each strategy-map link: do the two objectives' measures move together, "
    "at lags of 0 to 3 months",
)
def insights_evidence(request: HttpRequest, scope: Query[Scope]):
    """Pearson's r of the month-to-month changes of the cause's and the effect's measures, at
    lags of 0 to 3 months, with a reading in words; none with too little data."""
    return [
        {
            "link": e.link.pk,
            "cause": ref(e.cause),
            "effect": ref(e.effect),
            "correlations": [c.__dict__ for c in e.correlations],
            "reading": e.reading,
        }
        for e in evidence.link_evidence(snapshot_for(request, scope))
    ]


# One list of alerts per section of the digest, in the digest's order.
DigestSectionsOut = create_model(
    "DigestSectionsOut",
    __base__=Schema,
    __doc__="The digest's alerts, section by section (every section always present).",
    **{section: (list[DigestAlertOut], ...) for section in SECTIONS},
)


class DigestOut(Schema):
    unit: int | None
    week_of: date
    title: str
    sections: DigestSectionsOut


@router.get(
    "/insights/digest",
    response={200: DigestOut, **ERRORS},
    operation_id="insights_digest",
    summary="The caller's weekly digest (at risk, stale, gaps, conflicts, quality)",
)
def insights_digest(request: HttpRequest, scope: Query[Scope]):
    """The digest sent weekly: this week's alerts for the caller, in the sections at_risk,
    stale, gaps, conflicts and quality (each always present, maybe empty)."""
    digest = digest_for(request.auth, unit=unit_of(scope)).to_dict()
    return {key: digest[key] for key in ("unit", "week_of", "title", "sections")}
