from django.core.management.base import BaseCommand

from lodestar.scores.rollup import recompute_all


class Command(BaseCommand):
    help = "Rebuild every stored score from the raw inputs."

    def handle(self, *args, **options) -> None:
        last_stage = None

        def progress(stage: str, done: int, total: int) -> None:
            nonlocal last_stage
            if stage != last_stage or done == total or done % 500 == 0:
                self.stdout.write(f"  {stage}: {done}/{total}")
                last_stage = stage

        recompute_all(progress)
        self.stdout.write(self.style.SUCCESS("All scores recomputed."))
