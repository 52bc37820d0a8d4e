"""Roll-up: keeps every stored score equal to what the scoring rules say.

The arithmetic lives in `lodestar.scoring`; this module reads the inputs from the
database, calls it and stores the answers. A write refreshes only the nodes above it:

    key result → OKR objectives holding it → strategic objectives they contribute to
    measure    → strategic objective → cascade parents → perspectives → scorecards

Every refresh is set-based: one read per kind of input for the whole set, the new scores
computed in Python, one statement per table writing the rows that changed. So a check-in
costs the same whether one objective holds its key result or sixty-four, and a cascade
ancestor is refreshed once per write, after all its refreshed children.
`recompute_all` is the same code over every row and must agree with the incremental path.
Inside `deferred()` (an import) the refreshes above key results and measures are noted
and run once at the end, over everything noted. In the "queued" mode
(settings.ROLLUP_STRATEGY) the strategy above the OKR objectives and measures is noted in
`StrategyOwed` and refreshed by `strategy_drain` (a job of `lodestar worker`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery

from lodestar import scoring, tree
from lodestar.insights import kept
from lodestar.okrs.models import Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.org.changes import changed, changed_everything
from lodestar.scores.bulk import changed_rows, rows_set
from lodestar.scores.models import StrategyOwed
from lodestar.strategy.models import (
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
)

Progress = Callable[[str, int, int], None]
Contribution = Objective.contributes_to.through
STRATEGY_LOCK = 0x4C4F4445  # "LODE": the advisory lock of the strategy roll-up
IDS_PER_READ = 5000  # ids in one `IN (…)`, well inside every database's parameter limit


@dataclass
class Touched:
    """What a deferred roll-up still owes: the scores above these rows."""

    key_results: set[int] = field(default_factory=set)  # their holders, and above
    objectives: set[int] = field(default_factory=set)  # OKR objectives, and above
    strategic: set[int] = field(default_factory=set)  # strategic objectives, and above
    all_strategy: bool = False


_owed: ContextVar[Touched | None] = ContextVar("rollup_owed", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Inside, the refreshes above key results and measures are only noted, and run once,
    set-based, over everything noted when the block ends without an error (an import: one
    roll-up for all its rows, not one per row). Run it inside the transaction of the
    writes. A key result and a measure are still rescored at once: their own figures
    are in the events of their check-ins and values."""
    if _owed.get() is not None:  # already deferred by an outer block, which pays
        yield
        return
    owed = Touched()
    with noting(owed):
        yield
    touched_refresh(owed)


@contextmanager
def noting(owed: Touched) -> Iterator[Touched]:
    """Inside, the refreshes above key results and measures are noted in `owed`, for the
    caller to run with `touched_refresh` when it chooses: an import written in several
    transactions notes across all of them and refreshes once, in its own."""
    token = _owed.set(owed)
    try:
        yield owed
    finally:
        _owed.reset(token)


def in_chunks(ids: set[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), IDS_PER_READ):
        yield ordered[start : start + IDS_PER_READ]


def touched_refresh(owed: Touched) -> None:
    """Everything above the noted rows, bottom-up, as the write-by-write path would have
    left it: the key results' holders, then the strategy above them and above the
    measures written."""
    okr_ids = set(owed.objectives)
    for chunk in in_chunks(owed.key_results):
        holders = ObjectiveKeyResult.objects.filter(key_result_id__in=chunk)
        okr_ids |= set(holders.values_list("objective_id", flat=True))
    for chunk in in_chunks(okr_ids):
        objectives_refresh(Objective.objects.filter(pk__in=chunk), lock=True)
    strategic = set(owed.strategic)
    for chunk in in_chunks(okr_ids):
        strategic |= contributed_ids(chunk)
    if owed.all_strategy:
        strategy_refresh(None)
    elif strategic:
        strategy_refresh(strategic)


def key_result_score(key_result: KeyResult) -> None:
    """Set progress and score on the object from its own inputs, without a query: for a
    caller that holds the row locked and has just written those inputs."""
    progress = scoring.key_result_progress(
        key_result.kind,
        baseline=key_result.baseline,
        target=key_result.target,
        current=key_result.current,
    )
    key_result.progress, key_result.score = progress.raw, progress.score


def key_results_refresh(key_results) -> dict[int, tuple]:
    """Rescore these key results (a queryset) from their stored inputs; returns
    {pk: (progress, score)}."""
    stored, computed = {}, {}
    rows = key_results.order_by().values_list(
        "pk", "kind", "baseline", "target", "current", "progress", "score"
    )
    for pk, kind, baseline, target, current, progress, score in rows.iterator(chunk_size=5000):
        result = scoring.key_result_progress(
            kind, baseline=baseline, target=target, current=current
        )
        stored[pk], computed[pk] = (progress, score), (result.raw, result.score)
    rows_set(KeyResult, ["progress", "score"], changed_rows(stored, computed))
    return computed


def objectives_refresh(objectives, *, lock: bool = False) -> list[int]:
    """Rescore these OKR objectives (a queryset) from their key results; returns their ids.
    `lock`: take their rows first (in id order, so concurrent writers never deadlock), so
    that a concurrent check-in on another key result of theirs waits, then reads ours."""
    if lock and connection.features.has_select_for_update:
        # Its own statement, before the read: a read that locked the rows itself would,
        # once a concurrent writer let go, see that writer's key result score as it was
        # when the read began (PostgreSQL re-reads only the locked rows) and store a
        # stale score.
        list(objectives.order_by("pk").select_for_update().values_list("pk", flat=True))
    stored, pairs = {}, defaultdict(list)
    # One read: each objective with its holdings (none for an objective without any).
    rows = objectives.order_by().values_list(
        "pk", "score", "holdings__key_result__score", "holdings__weight"
    )
    # A write's few holders in one round trip; a recompute's many through a cursor.
    rows = list(rows) if lock else rows.iterator(chunk_size=5000)
    for pk, stored_score, score, weight in rows:
        stored[pk] = (stored_score,)
        if score is not None:
            pairs[pk].append((score, weight))
    computed = {pk: (scoring.objective_score(pairs[pk]),) for pk in stored}
    rows_set(Objective, ["score"], changed_rows(stored, computed))
    return list(stored)


def objective_refresh(objective: Objective) -> None:
    objectives_refresh(Objective.objects.filter(pk=objective.pk))
    objective.refresh_from_db(fields=["score"])


def measures_refresh(measures) -> dict[int, tuple]:
    """A measure's standing is that of its latest value (N/A when it has none); returns
    {pk: (performance, status)}."""
    latest = MeasureValue.objects.filter(measure=OuterRef("pk")).order_by("-period")
    rows = (
        measures.order_by()
        .annotate(
            latest_actual=Subquery(latest.values("actual")[:1]),
            latest_target=Subquery(latest.values("target")[:1]),
            latest_exists=Subquery(latest.values("pk")[:1]),
        )
        .values_list(
            "pk",
            "direction",
            "baseline",
            "target",
            "upper",
            "warning",
            "performance",
            "status",
            "latest_actual",
            "latest_target",
            "latest_exists",
        )
    )
    stored, computed = {}, {}
    for row in rows.iterator(chunk_size=5000):
        pk, direction, baseline, target, upper, warning, performance, status = row[:8]
        actual, period_target, exists = row[8:]
        args = dict(
            direction=direction,
            baseline=baseline,
            target=scoring.period_target(period_target if exists else None, target),
            actual=actual if exists else None,
            upper=upper,
        )
        stored[pk] = (performance, status)
        computed[pk] = (
            scoring.measure_performance(**args),
            scoring.measure_status(**args, warning=warning),
        )
    rows_set(Measure, ["performance", "status"], changed_rows(stored, computed))
    return computed


def measure_refresh(measure: Measure) -> None:
    measure.performance, measure.status = measures_refresh(Measure.objects.filter(pk=measure.pk))[
        measure.pk
    ]


def strategy_lock() -> None:
    """One writer at a time above the OKR objectives, until the transaction ends: nearly
    every write reaches the same few perspectives and scorecards, and each must read its
    inputs after the writer before it committed. (SQLite has one writer anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STRATEGY_LOCK])


def scored_by_objective(
    rows: QuerySet, objective: str, score: str, weight: str, within: set[int] | None
) -> defaultdict[int, list[tuple]]:
    """{strategic objective id: [(score, weight), …]} of the rows (those of the objectives
    `within`, or all)."""
    if within is not None:
        rows = rows.filter(**{f"{objective}__in": within})
    found = defaultdict(list)
    for objective_id, value, share in rows.order_by().values_list(objective, score, weight):
        found[objective_id].append((value, share))
    return found


def strategy_refresh(
    objective_ids: Iterable[int] | None, *, measure: Measure | None = None
) -> None:
    """Refresh these strategic objectives (None: all of them) and their cascade ancestors,
    each once and children first, then every perspective and scorecard above them; first
    the measure a check-in wrote, when there is one.

    The strategy's skeleton (objectives with parent, perspective, weight and scores) is
    read whole: it is small next to the OKRs (a few thousand rows at most), and holding it
    lets every level of the cascade be computed in Python from one read."""
    owed = _owed.get()
    if owed is not None:
        owed.all_strategy |= objective_ids is None
        owed.strategic.update(objective_ids or ())
        if measure is not None:
            measure_refresh(measure)
            owed.strategic.add(measure.objective_id)
        return
    if objective_ids is not None and queued():
        strategy_queue(set(objective_ids), measure)
        return
    strategy_lock()
    objective_ids = None if objective_ids is None else set(objective_ids)
    if measure is not None:
        measure_refresh(measure)
        objective_ids.add(measure.objective_id)
    strategy_write(objective_ids)


ROLLUP_MODES = ("inline", "queued")  # settings.ROLLUP_STRATEGY, checked at start-up


def queued() -> bool:
    """Whether writes leave the strategy above them to `lodestar rollup` workers."""
    return settings.ROLLUP_STRATEGY == "queued"


def strategy_queue(objective_ids: set[int], measure: Measure | None) -> None:
    """The queued mode: the measure a check-in wrote is rescored now (its row locked
    first, as the holders are), the strategic objectives above are noted for a worker."""
    if measure is not None:
        if connection.features.has_select_for_update:
            list(Measure.objects.filter(pk=measure.pk).select_for_update().values_list("pk"))
        measure_refresh(measure)
        objective_ids.add(measure.objective_id)
    StrategyOwed.objects.bulk_create(
        [StrategyOwed(objective_id=pk) for pk in sorted(objective_ids)]
    )


def strategy_drain(limit: int = 10_000) -> int:
    """Refresh what queued writes owe, oldest first, up to `limit` notes in one
    transaction; returns how many notes it took (0: nothing owed). The notes leave in the
    transaction that stores the scores, so a worker that dies loses none; one drainer at
    a time (the strategy lock), and writes go on meanwhile, noting more."""
    with transaction.atomic():
        strategy_lock()
        notes = list(StrategyOwed.objects.order_by("pk").values_list("pk", "objective_id")[:limit])
        if not notes:
            return 0
        strategy_write({objective for _, objective in notes})
        StrategyOwed.objects.filter(pk__in=[pk for pk, _ in notes]).delete()
        # the worker writes outside the services: the scorecards above the notes moved
        changed(strategic={objective for _, objective in notes})
    return len(notes)


def strategy_write(objective_ids: set[int] | None) -> None:
    """The strategy's refresh proper, under the strategy lock."""
    skeleton = {
        pk: (parent, perspective, weight, performance, execution)
        for pk, parent, perspective, weight, performance, execution in (
            StrategicObjective.objects.order_by().values_list(
                "pk", "parent_id", "perspective_id", "weight", "performance", "execution"
            )
        )
    }
    everything = objective_ids is None
    touched = set(skeleton) if everything else with_ancestors(objective_ids, skeleton)
    if not touched:
        return
    within = None if everything else touched
    measures = scored_by_objective(
        Measure.objects.all(), "objective_id", "performance", "weight", within
    )
    # A shared figure: private objectives count only where their readers look (docs/scoring.md).
    contributions = Contribution.objects.filter(
        objective__cycle__state=Cycle.State.ACTIVE,
        objective__visibility=Objective.Visibility.PUBLIC,
    )
    okrs = scored_by_objective(
        contributions, "strategicobjective_id", "objective__score", "objective__weight", within
    )
    children = defaultdict(list)
    for pk, (parent, *_) in skeleton.items():
        if parent is not None:
            children[parent].append(pk)
    performance = {pk: values[3] for pk, values in skeleton.items()}
    computed = {}
    for pk in cascade_order(touched, skeleton):
        performance[pk] = scoring.objective_performance(
            measures[pk], [(performance[child], skeleton[child][2]) for child in children[pk]]
        )
        computed[pk] = (performance[pk], scoring.objective_execution(okrs[pk]))
    stored = {pk: (values[3], values[4]) for pk, values in skeleton.items()}
    rows_set(StrategicObjective, ["performance", "execution"], changed_rows(stored, computed))
    scores = {pk: computed.get(pk, stored[pk]) for pk in skeleton}
    perspective_ids = {skeleton[pk][1] for pk in touched}
    if everything:  # perspectives without objectives too
        perspective_ids = set(Perspective.objects.values_list("pk", flat=True))
    perspectives_refresh(perspective_ids, skeleton, scores)


def perspectives_refresh(perspective_ids: set[int], skeleton: dict, scores: dict) -> None:
    """Rescore these perspectives from the objectives' fresh scores, then their scorecards."""
    perspectives = Perspective.objects.filter(
        scorecard_id__in=Perspective.objects.filter(pk__in=perspective_ids).values("scorecard_id")
    ).order_by()
    rows = list(perspectives.values_list("pk", "scorecard_id", "weight", "score", "execution"))
    members = defaultdict(list)
    for pk, (_, perspective, weight, *_) in skeleton.items():
        if perspective in perspective_ids:
            members[perspective].append((*scores[pk], weight))
    stored = {pk: (score, execution) for pk, _, _, score, execution in rows}
    computed = {
        pk: (
            scoring.perspective_score((p, w) for p, _, w in members[pk]),
            scoring.perspective_score((e, w) for _, e, w in members[pk]),
        )
        for pk in perspective_ids
    }
    rows_set(Perspective, ["score", "execution"], changed_rows(stored, computed))
    by_scorecard = defaultdict(list)
    for pk, scorecard, weight, score, execution in rows:
        by_scorecard[scorecard].append((*computed.get(pk, (score, execution)), weight))
    scorecards_write(by_scorecard)


def scorecards_write(perspectives: dict[int, list[tuple]]) -> None:
    """Score these scorecards from their perspectives' (score, execution, weight); written
    without reading the stored scores first: there are few, and a read would cost more."""
    rows = [
        (
            pk,
            scoring.scorecard_score((s, w) for s, _, w in rows),
            scoring.scorecard_score((e, w) for _, e, w in rows),
        )
        for pk, rows in perspectives.items()
    ]
    rows_set(Scorecard, ["score", "execution"], rows)


def perspective_refresh(perspective: Perspective) -> None:
    """A perspective (and its scorecard) after its weight or members changed."""
    members = perspective.strategic_objectives.order_by().values_list(
        "pk", "weight", "performance", "execution"
    )
    skeleton = {
        pk: (None, perspective.pk, weight, performance, execution)
        for pk, weight, performance, execution in members
    }
    scores = {pk: (values[3], values[4]) for pk, values in skeleton.items()}
    perspectives_refresh({perspective.pk}, skeleton, scores)
    perspective.refresh_from_db(fields=["score", "execution"])


def scorecard_refresh(scorecard: Scorecard) -> None:
    rows = scorecard.perspectives.order_by().values_list("score", "execution", "weight")
    scorecards_write({scorecard.pk: list(rows)})
    scorecard.refresh_from_db(fields=["score", "execution"])


def with_ancestors(objective_ids: Iterable[int], skeleton: dict) -> set[int]:
    """The objectives and their cascade ancestors (a stored loop cannot trap the walk)."""
    parent_of = tree.parent_within(skeleton, lambda values: values[0])
    found = {pk for pk in objective_ids if pk in skeleton}
    for pk in list(found):
        found.update(tree.ancestors(pk, parent_of))
    return found


def cascade_order(objective_ids: set[int], skeleton: dict) -> list[int]:
    """Children before parents, so every parent sees its children's fresh performance."""
    parent_of = tree.parent_within(skeleton, lambda values: values[0])
    return sorted(objective_ids, key=lambda pk: len(tree.ancestors(pk, parent_of)), reverse=True)


def after_key_result_change(
    key_result: KeyResult, *, measure: Measure | None = None, scored: bool = False
) -> None:
    """Refresh above a key result; with the measure a check-in wrote, in the same pass.
    `scored`: the caller has already stored the key result's fresh score."""
    if not scored:
        # Inputs come from the database, never from the caller's possibly older copy.
        computed = key_results_refresh(KeyResult.objects.filter(pk=key_result.pk))
        key_result.progress, key_result.score = computed[key_result.pk]
    owed = _owed.get()
    if owed is not None:
        owed.key_results.add(key_result.pk)
        strategy_refresh([], measure=measure)  # the measure rescored now, the rest noted
        return
    holders = Objective.objects.filter(
        pk__in=ObjectiveKeyResult.objects.filter(key_result=key_result).values("objective_id")
    )
    strategy_refresh(contributed_ids(objectives_refresh(holders, lock=True)), measure=measure)


def contributed_ids(objectives: Iterable[Objective | int]) -> set[int]:
    ids = [o if isinstance(o, int) else o.pk for o in objectives]
    return set(
        Contribution.objects.filter(objective_id__in=ids).values_list(
            "strategicobjective_id", flat=True
        )
    )


def after_objectives_change(objectives: Iterable[Objective]) -> None:
    owed = _owed.get()
    if owed is not None:
        owed.objectives.update(o if isinstance(o, int) else o.pk for o in objectives)
        return
    strategy_refresh(contributed_ids(objectives))


def after_measure_change(measure: Measure) -> None:
    strategy_refresh([], measure=measure)


@transaction.atomic
def recompute_all(progress: Progress | None = None) -> None:
    """Rebuild every score from the raw inputs, bottom-up, a handful of statements per
    table; only rows whose score changed are written."""
    report = progress or (lambda stage, done, total: None)
    stages = (
        ("key results", lambda: key_results_refresh(KeyResult.objects.all())),
        ("OKR objectives", lambda: objectives_refresh(Objective.objects.all())),
        ("measures", lambda: measures_refresh(Measure.objects.all())),
        ("strategic objectives, perspectives, scorecards", lambda: strategy_refresh(None)),
        ("scorecards without perspectives", empty_scorecards_refresh),
    )
    for stage, run in stages:
        report(stage, 0, 1)
        run()
        report(stage, 1, 1)
    changed_everything()  # the recompute bypasses the services: kept figures must not outlive it
    kept.warm_when_committed()  # …and the first reader should not wait for them
    report("done", 1, 1)


def empty_scorecards_refresh() -> None:
    scorecards_write(
        {
            pk: []
            for pk in Scorecard.objects.filter(perspectives__isnull=True).values_list(
                "pk", flat=True
            )
        }
    )
