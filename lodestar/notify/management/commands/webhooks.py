"""`lodestar webhooks [--loop]`: send due webhook deliveries (run one or more workers)."""

import time

from django.core.management.base import BaseCommand

from lodestar.notify.delivery import deliver_due


class Command(BaseCommand):
    help = "Send due webhook deliveries; with --loop keep polling the database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args, loop: bool = False, interval: float = 2.0, **options) -> None:
        while True:
            sent = deliver_due()
            if sent:
                self.stdout.write(f"Attempted {sent} deliveries.")
            if not loop:
                return
            time.sleep(interval)
