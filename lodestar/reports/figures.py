"""The quarterly review's figures as plain data: what `ReviewSnapshot.figures` keeps when a
cycle closes, and what an open quarter computes on each reading.

- Performance (strategy scale) of the company scorecard's perspectives and strategic
  objectives: a closed quarter's as they stood at its end (`score_history`: the values of
  its periods, never a later one); an open quarter's are today's stored scores.
- Execution (OKR scale): the cycle's own public OKR objectives serving each strategic
  objective, weighted, then its perspective's objectives, weighted: the roll-up's rule,
  read for this cycle (`contribution.graded_score`: a closed cycle by its final grades).
- The measures: each one's value, status and the target it was judged against, as of
  the quarter's end for a closed quarter (`pagedata.strategy.judged_measures`).
- The map: its bands, boxes (with their performance, hence their colour, and their
  measures' targets in their titles) and arrows.
- The gaps: the alignment and strategy-execution alerts about this cycle. Shared figures
  count public objectives only; an alert about a private objective itself (it serves no
  strategy) names that objective, and is shown only to those who may see it.
"""

from collections import defaultdict
from dataclasses import asdict, replace
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from lodestar import scoring
from lodestar.insights.alerts import Alert, alerts_from
from lodestar.insights.snapshot import load
from lodestar.notify.rhythm import channel_reader
from lodestar.okrs.models import Cycle, Objective
from lodestar.okrs.selectors import visible_objectives
from lodestar.org.models import Person
from lodestar.reports.contribution import Contribution, graded_score
from lodestar.scoring.history import trend
from lodestar.strategy.models import CauseEffectLink, Perspective, Scorecard, StrategicObjective
from lodestar.web.pagedata import strategy as strategy_data
from lodestar.web.views.display import map_svg

# The alignment gaps and the strategy-execution gap, from the insights' alerts.
GAP_KINDS = {
    "orphan_objective",
    "unserved_strategic_objective",
    "starved_perspective",
    "execution_without_impact",
    "impact_without_execution",
    "unit_without_okrs",
}


def cycle_executions(cycle: Cycle) -> dict[int, float | None]:
    """Strategic objective → the weighted score of the cycle's public OKR objectives
    serving it (one query)."""
    served: dict[int, list[tuple[float | None, float]]] = defaultdict(list)
    rows = Contribution.objects.filter(
        objective__cycle=cycle, objective__visibility=Objective.Visibility.PUBLIC
    ).values_list(
        "strategicobjective_id", "objective__score", "objective__final_grade", "objective__weight"
    )
    for strategic, score, grade, weight in rows:
        served[strategic].append((graded_score(cycle.state, score, grade), weight))
    return {pk: scoring.objective_execution(okrs) for pk, okrs in served.items()}


def strategy_figures(scorecard: Scorecard, cycle: Cycle, as_of: date, *, ended: bool) -> dict:
    """The scorecard's perspectives and objectives with performance, execution and trend,
    and the map's arrows. `ended`: performance as it stood on `as_of` (a closed quarter),
    else the stored scores of today."""
    bands, objectives, links = strategy_data.map_contents(scorecard)
    history = strategy_data.score_history(scorecard, as_of)
    executions = cycle_executions(cycle)
    measures = strategy_data.judged_measures(scorecard, objectives, as_of if ended else None)
    lines: dict[int, list[str]] = defaultdict(list)
    for judged in measures:
        lines[judged["objective"]].append(strategy_data.judged_line(judged))
    boxes = [
        {
            "id": o.pk,
            "perspective": o.perspective_id,
            "name": o.name,
            "code": o.code,
            "weight": o.weight,
            "performance": history.objectives[o.pk][-1] if ended else o.performance,
            "execution": executions.get(o.pk),
            "targets": lines[o.pk],
        }
        for o in objectives
    ]
    perspectives = [
        {
            "id": p.pk,
            "name": p.name,
            "position": p.position,
            "performance": history.perspectives[p.pk][-1] if ended else p.score,
            "execution": perspective_execution(boxes, p.pk),
            "trend": trend(history.perspectives.get(p.pk, [])) or "",
        }
        for p in bands
    ]
    return {
        "scorecard": {"id": scorecard.pk, "name": str(scorecard)},
        "perspectives": perspectives,
        "objectives": boxes,
        "measures": measures,
        "links": [[link.cause_id, link.effect_id] for link in links],
    }


def perspective_execution(boxes: list[dict], perspective_id: int) -> float | None:
    """A perspective's execution: its strategic objectives' executions, weighted."""
    return scoring.perspective_score(
        (box["execution"], box["weight"]) for box in boxes if box["perspective"] == perspective_id
    )


def executions_regraded(figures: dict, cycle: Cycle) -> dict:
    """The figures with the cycle's execution read again from its grades (given after it
    closed), on the strategic objectives and perspectives the figures hold."""
    executions = cycle_executions(cycle)
    boxes = [box | {"execution": executions.get(box["id"])} for box in figures["objectives"]]
    perspectives = [
        p | {"execution": perspective_execution(boxes, p["id"])} for p in figures["perspectives"]
    ]
    return figures | {"objectives": boxes, "perspectives": perspectives}


def map_drawn(figures: dict) -> SafeString | str:
    """The strategy map of these figures, drawn as the pages draw it."""
    if figures["scorecard"] is None:
        return ""
    bands = [
        Perspective(pk=p["id"], name=p["name"], position=p["position"])
        for p in figures["perspectives"]
    ]
    boxes = []
    for o in figures["objectives"]:
        box = StrategicObjective(
            pk=o["id"],
            perspective_id=o["perspective"],
            name=o["name"],
            code=o["code"],
            performance=o["performance"],
        )
        box.targets = o.get("targets", [])  # none kept by reviews before targets were
        boxes.append(box)
    links = [
        CauseEffectLink(cause_id=cause, effect_id=effect) for cause, effect in figures["links"]
    ]
    return map_svg(f"Strategy map of {figures['scorecard']['name']}", bands, boxes, links)


def cycle_gaps(cycle: Cycle, as_of: date) -> list[dict]:
    """The gaps of this cycle as they stood on `as_of`: the insight rules read a snapshot
    of the organisation whose cycle is this one, with every objective of the cycle (the
    shared rules count the public ones; the alert about a private objective is marked)."""
    moment = timezone.make_aware(datetime.combine(as_of, time(23, 59)))
    objectives = {
        o.pk: o for o in Objective.objects.filter(cycle=cycle).select_related("owner", "unit")
    }
    for objective in objectives.values():
        objective.cycle = cycle
    served: dict[int, set[int]] = defaultdict(set)
    rows = Contribution.objects.filter(objective__cycle=cycle)
    for objective_id, strategic in rows.values_list("objective_id", "strategicobjective_id"):
        served[objective_id].add(strategic)
    public = {pk for pk, o in objectives.items() if o.visibility == Objective.Visibility.PUBLIC}
    snapshot = replace(
        load(channel_reader(), now=moment),
        cycle=cycle,
        objectives=objectives,
        public=public,
        contributions=served,
        derived={},
    )
    private = {reverse("objective", args=[pk]): pk for pk in objectives.keys() - public}
    return [
        asdict(found) | {"private_objective": private.get(found.url)}
        for found in alerts_from(snapshot)
        if found.kind in GAP_KINDS
    ]


def gaps_shown(reader: Person, gaps: list[dict]) -> list[Alert]:
    """The gaps this reader may see: every shared one, and those about a private
    objective only when they may see that objective."""
    private = {gap["private_objective"] for gap in gaps} - {None}
    seen = set()
    if private:
        seen = set(visible_objectives(reader).filter(pk__in=private).values_list("pk", flat=True))
    return [
        Alert(
            kind=gap["kind"],
            severity=gap["severity"],
            message=gap["message"],
            url=gap["url"],
            subject=gap["subject"],
            owner=gap["owner"],
            units=tuple((pk, name) for pk, name in gap["units"]),
        )
        for gap in gaps
        if gap["private_objective"] is None or gap["private_objective"] in seen
    ]
