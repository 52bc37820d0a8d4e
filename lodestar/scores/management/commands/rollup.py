"""`lodestar rollup [--loop] [--interval S]`: refresh the strategy scores that queued writes
owe (settings.ROLLUP_STRATEGY = "queued"); run one or more as workers."""

import time

from django.core.management.base import BaseCommand

from lodestar.scores.models import StrategyOwed
from lodestar.scores.rollup import strategy_drain


class Command(BaseCommand):
    help = "Refresh the strategy scores queued writes owe; with --loop keep polling."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls")

    def handle(self, *args, loop: bool = False, interval: float = 0.5, **options) -> None:
        while True:
            drained = 0
            while taken := strategy_drain():
                drained += taken
                left = StrategyOwed.objects.count()
                self.stdout.write(f"  refreshed {drained} notes, {left} waiting")
            if not loop:
                self.stdout.write(self.style.SUCCESS("The strategy scores are up to date."))
                return
            time.sleep(interval)
