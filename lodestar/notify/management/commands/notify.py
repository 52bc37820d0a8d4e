"""`lodestar notify`: plan this week's reminders and digests and send what is due, once
(`lodestar worker` does it every minute as a job)."""

from django.core.management.base import BaseCommand

from lodestar.notify.rhythm import notify_run


class Command(BaseCommand):
    help = "Send the week's check-in and measure reminders and the digests, once."

    def handle(self, *args, **options) -> None:
        planned, attempted = notify_run()
        if planned or attempted:
            self.stdout.write(f"Planned {planned} notifications, attempted {attempted}.")
