from django.core.management.base import BaseCommand, CommandError

from lodestar.exchange.backup import RestoreRefused, restore_read
from lodestar.scores.rollup import recompute_all


class Command(BaseCommand):
    help = (
        "Load a backup written by `lodestar backup` into an empty, migrated database, then "
        "recompute every score from what it restored."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            rows = restore_read(file, say=lambda line: self.stdout.write(f"  {line}"))
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Restored {rows} rows from {file}; recomputing the scores.")
        # The scores were read with their inputs in one snapshot; a recompute proves them and
        # rebuilds what a backup leaves out (the kept figures).
        recompute_all(self.stage_done)
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {file}."))

    def stage_done(self, stage: str, done: int, total: int) -> None:
        if done == total:
            self.stdout.write(f"  {stage}: {total}")
