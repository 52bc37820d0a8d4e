"""Roll-up: keeps every stored score equal to what the scoring rules say.

The arithmetic lives in `lodestar.scoring`; this module reads the inputs from the
database, calls it and stores the answers. A write refreshes only the nodes above it:

    key result → OKR objectives holding it → strategic objectives they contribute to
    measure    → strategic objective → cascade parents → perspectives → scorecards

`recompute_all` walks the whole tree bottom-up and must agree with the incremental path.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from lodestar import scoring, tree
from lodestar.okrs.models import Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.strategy.models import (
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
)

Progress = Callable[[str, int, int], None]
MAX_CASCADE_DEPTH = 32


def key_result_refresh(key_result: KeyResult) -> None:
    # Inputs come from the database, never from the caller's possibly older copy.
    kind, baseline, target, current = KeyResult.objects.values_list(
        "kind", "baseline", "target", "current"
    ).get(pk=key_result.pk)
    progress = scoring.key_result_progress(kind, baseline=baseline, target=target, current=current)
    key_result.current = current
    key_result.progress, key_result.score = progress.raw, progress.score
    KeyResult.objects.filter(pk=key_result.pk).update(
        progress=key_result.progress, score=key_result.score
    )


def objective_refresh(objective: Objective) -> None:
    pairs = ObjectiveKeyResult.objects.filter(objective=objective).values_list(
        "key_result__score", "weight"
    )
    objective.score = scoring.objective_score((s, w) for s, w in pairs if s is not None)
    Objective.objects.filter(pk=objective.pk).update(score=objective.score)


def measure_refresh(measure: Measure) -> None:
    """A measure's standing is that of its latest value (N/A when it has none)."""
    measure.refresh_from_db(
        fields=["objective", "direction", "baseline", "target", "upper", "warning"]
    )
    latest = MeasureValue.objects.filter(measure=measure).order_by("-period").first()
    actual = latest.actual if latest else None
    target = latest.target if latest and latest.target is not None else measure.target
    args = dict(
        direction=measure.direction,
        baseline=measure.baseline,
        target=target,
        actual=actual,
        upper=measure.upper,
    )
    measure.performance = scoring.measure_performance(**args)
    measure.status = scoring.measure_status(**args, warning=measure.warning)
    Measure.objects.filter(pk=measure.pk).update(
        performance=measure.performance, status=measure.status
    )


def strategic_objective_refresh(objective: StrategicObjective) -> None:
    measures = objective.measures.values_list("performance", "weight")
    children = objective.children.values_list("performance", "weight")
    # A shared figure: private objectives count only where their readers look (docs/scoring.md).
    contributing = objective.okr_objectives.filter(
        cycle__state=Cycle.State.ACTIVE, visibility=Objective.Visibility.PUBLIC
    )
    objective.performance = scoring.objective_performance(measures, children)
    objective.execution = scoring.objective_execution(contributing.values_list("score", "weight"))
    StrategicObjective.objects.filter(pk=objective.pk).update(
        performance=objective.performance, execution=objective.execution
    )


def perspective_refresh(perspective: Perspective) -> None:
    objectives = perspective.objectives.values_list("performance", "execution", "weight")
    perspective.score = scoring.perspective_score((p, w) for p, _, w in objectives)
    perspective.execution = scoring.perspective_score((e, w) for _, e, w in objectives)
    Perspective.objects.filter(pk=perspective.pk).update(
        score=perspective.score, execution=perspective.execution
    )


def scorecard_refresh(scorecard: Scorecard) -> None:
    perspectives = scorecard.perspectives.values_list("score", "execution", "weight")
    scorecard.score = scoring.scorecard_score((s, w) for s, _, w in perspectives)
    scorecard.execution = scoring.scorecard_score((e, w) for _, e, w in perspectives)
    Scorecard.objects.filter(pk=scorecard.pk).update(
        score=scorecard.score, execution=scorecard.execution
    )


def strategy_refresh(objective_ids: Iterable[int]) -> None:
    """Refresh these strategic objectives, then their cascade ancestors level by level,
    then every perspective and scorecard touched on the way."""
    perspective_ids: set[int] = set()
    level = set(objective_ids)
    # A parent already refreshed in an earlier level is refreshed again after its
    # children; the bound only guards against a corrupt cascade loop.
    for _ in range(MAX_CASCADE_DEPTH):
        if not level:
            break
        parents: set[int] = set()
        for objective in StrategicObjective.objects.filter(pk__in=level):
            strategic_objective_refresh(objective)
            perspective_ids.add(objective.perspective_id)
            if objective.parent_id:
                parents.add(objective.parent_id)
        level = parents
    perspectives = Perspective.objects.filter(pk__in=perspective_ids)
    scorecard_ids = set()
    for perspective in perspectives:
        perspective_refresh(perspective)
        scorecard_ids.add(perspective.scorecard_id)
    for scorecard in Scorecard.objects.filter(pk__in=scorecard_ids):
        scorecard_refresh(scorecard)


def after_key_result_change(key_result: KeyResult, *, measure: Measure | None = None) -> None:
    """Refresh above a key result; with the measure a check-in wrote, in the same pass."""
    key_result_refresh(key_result)
    objectives = list(Objective.objects.filter(holdings__key_result=key_result))
    for objective in objectives:
        objective_refresh(objective)
    ids = contributed_ids(objectives)
    if measure is not None:
        measure_refresh(measure)
        ids.add(measure.objective_id)
    strategy_refresh(ids)


def contributed_ids(objectives: Iterable[Objective]) -> set[int]:
    return set(
        StrategicObjective.objects.filter(
            okr_objectives__in=[o.pk for o in objectives]
        ).values_list("pk", flat=True)
    )


def after_objectives_change(objectives: Iterable[Objective]) -> None:
    strategy_refresh(contributed_ids(objectives))


def after_measure_change(measure: Measure) -> None:
    measure_refresh(measure)
    strategy_refresh([measure.objective_id])


@transaction.atomic
def recompute_all(progress: Progress | None = None) -> None:
    """Rebuild every score from the raw inputs, bottom-up."""
    report = progress or (lambda stage, done, total: None)
    for stage, queryset, refresh in (
        ("key results", KeyResult.objects.all(), key_result_refresh),
        ("OKR objectives", Objective.objects.all(), objective_refresh),
        ("measures", Measure.objects.all(), measure_refresh),
    ):
        total = queryset.count()
        for done, item in enumerate(queryset.iterator(), start=1):
            refresh(item)
            report(stage, done, total)
    objectives = list(StrategicObjective.objects.all())
    for done, objective in enumerate(cascade_order(objectives), start=1):
        strategic_objective_refresh(objective)
        report("strategic objectives", done, len(objectives))
    for perspective in Perspective.objects.all():
        perspective_refresh(perspective)
    for scorecard in Scorecard.objects.all():
        scorecard_refresh(scorecard)
    report("done", 1, 1)


def cascade_order(objectives: list[StrategicObjective]) -> list[StrategicObjective]:
    """Children before parents, so every parent sees its children's fresh performance."""
    parent_of = tree.parent_within({o.pk: o for o in objectives}, lambda o: o.parent_id)
    return sorted(objectives, key=lambda o: len(tree.ancestors(o.pk, parent_of)), reverse=True)
