"""The queued roll-up as a job (queue "rollup"): `lodestar worker` enqueues it while
writes have noted strategy scores they owe (`scores.StrategyOwed`)."""

from django_tasks import task

from lodestar.scores.rollup import strategy_drain


@task(queue_name="rollup")
def strategy_drain_job() -> int:
    """Refresh everything owed, batch after batch; how many notes it took."""
    drained = 0
    while taken := strategy_drain():
        drained += taken
    return drained
