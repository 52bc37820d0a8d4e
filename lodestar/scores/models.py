"""The strategy roll-up's queue: in the "queued" mode (settings.ROLLUP_STRATEGY) a write
notes here, in its own transaction, the strategic objectives whose scores it changed, and a
worker refreshes them and everything above. A row leaves only in the transaction that
stored the refreshed scores, so a worker that dies loses nothing."""

from django.db import models


class StrategyOwed(models.Model):
    # No database constraint: PostgreSQL checks a deferred one at commit by locking the
    # objective's row, which a draining worker holds while it waits for the data version
    # this write holds (a deadlock). A note of an objective deleted since is skipped.
    objective = models.ForeignKey(
        "strategy.StrategicObjective",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    noted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"strategic objective {self.objective_id} owed since {self.noted_at}"
