"""`lodestar notify [--loop]`: plan this week's reminders and digests and send what is due
(for cron, or as one or more workers)."""

import time

from django.core.management.base import BaseCommand

from lodestar.notify.rhythm import notify_run


class Command(BaseCommand):
    help = "Send the week's check-in and measure reminders and the digests; --loop keeps polling."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between polls")

    def handle(self, *args, loop: bool = False, interval: float = 60.0, **options) -> None:
        while True:
            planned, attempted = notify_run()
            if planned or attempted:
                self.stdout.write(f"Planned {planned} notifications, attempted {attempted}.")
            if not loop:
                return
            time.sleep(interval)
