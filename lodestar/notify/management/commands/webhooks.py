"""`lodestar webhooks`: send the due webhook deliveries, once (`lodestar worker` sends them
as jobs while any are due)."""

from django.core.management.base import BaseCommand

from lodestar.notify.delivery import deliver_due


class Command(BaseCommand):
    help = "Send due webhook deliveries, once."

    def handle(self, *args, **options) -> None:
        sent = deliver_due()
        if sent:
            self.stdout.write(f"Attempted {sent} deliveries.")
