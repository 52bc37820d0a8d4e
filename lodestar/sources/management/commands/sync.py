"""`lodestar sync [--measure ID]`: sync the data sources that are due, or one measure's,
once (`lodestar worker` syncs what is due as jobs)."""

from django.core.management.base import BaseCommand, CommandError

from lodestar.sources.models import DataSource, SyncRun
from lodestar.sources.sync import claim, sync, sync_due


class Command(BaseCommand):
    help = (
        "Sync the data sources that are due (or one measure's, now); exits non-zero when "
        "a source failed, after syncing all the others."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--measure", type=int, help="sync this measure's source now")

    def handle(self, *args, measure=None, **options) -> None:
        runs = self.sync_measure(measure) if measure is not None else sync_due()
        failed = self.report(runs)
        if failed:
            raise CommandError(f"{failed} of {len(runs)} sources failed.")

    def sync_measure(self, measure_id: int) -> list[SyncRun]:
        source = DataSource.objects.select_related("measure").filter(measure_id=measure_id).first()
        if source is None:
            raise CommandError(f"Measure {measure_id} has no data source.")
        if not claim(source):
            raise CommandError(f"Another worker is syncing “{source}” right now.")
        return [sync(source, SyncRun.Trigger.MANUAL)]

    def report(self, runs: list[SyncRun]) -> int:
        failed = 0
        for run in runs:
            if run.error:
                failed += 1
                self.stderr.write(f"{run.source}: failed: {run.error}")
            else:
                self.stdout.write(
                    f"{run.source}: {run.rows_accepted} rows accepted, {run.rows_refused} refused"
                )
        return failed
