"""The word of every key result and objective of the active cycle (on track / behind / at
risk / stale / not started), by the one rule (`scoring.outcomes.open_pace`): the forecast
decides once there is one."""

from lodestar import scoring
from lodestar.insights.snapshot import Snapshot
from lodestar.okrs.models import KeyResult, Objective
from lodestar.scores import pace as words
from lodestar.scores.pace import key_result_pace


def key_result_paces(snapshot: Snapshot) -> dict[int, scoring.Pace]:
    """The pace of every key result of the active cycle, once a snapshot (the alerts and
    the alignment page's outlook both read them)."""
    if snapshot.cycle is None:
        return {}
    if "paces" not in snapshot.derived:
        snapshot.derived["paces"] = {
            kr.pk: key_result_pace(kr, snapshot.cycle, snapshot.now)
            for kr in snapshot.key_results.values()
            if kr.cycle_id == snapshot.cycle.pk
        }
    return snapshot.derived["paces"]


def objective_pace(
    snapshot: Snapshot, objective: Objective, paces: dict[int, scoring.Pace]
) -> scoring.Pace | None:
    """Its forecast's word, else its worst key result's; None for an objective with none.
    `paces`: the key results of the active cycle (an objective of another has none)."""
    held = [(kr, w) for kr, w in snapshot.holdings.get(objective.pk, ()) if kr.pk in paces]
    return words.objective_pace(objective, held, snapshot.cycle, snapshot.now)


def late_key_results(snapshot: Snapshot) -> list[tuple[KeyResult, scoring.Pace]]:
    """Shown key results of the active cycle that are stale or at risk."""
    paces = key_result_paces(snapshot)
    return [
        (snapshot.key_results[pk], pace)
        for pk, pace in paces.items()
        if pace in (scoring.Pace.STALE, scoring.Pace.AT_RISK)
        and snapshot.shown_key_result(snapshot.key_results[pk])
    ]
