"""`lodestar rollup`: refresh, now, the strategy scores that queued writes owe
(settings.ROLLUP_STRATEGY = "queued"). `lodestar worker` does it as a job while notes wait."""

from django.core.management.base import BaseCommand

from lodestar.scores.models import StrategyOwed
from lodestar.scores.rollup import strategy_drain


class Command(BaseCommand):
    help = "Refresh the strategy scores queued writes owe, once (`lodestar worker` keeps them)."

    def handle(self, *args, **options) -> None:
        drained = 0
        while taken := strategy_drain():
            drained += taken
            left = StrategyOwed.objects.count()
            self.stdout.write(f"  refreshed {drained} notes, {left} waiting")
        self.stdout.write(self.style.SUCCESS("The strategy scores are up to date."))
