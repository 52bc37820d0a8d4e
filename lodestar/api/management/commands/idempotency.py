"""`lodestar idempotency prune`: forget the Idempotency-Keys older than 24 hours."""

from django.core.management.base import BaseCommand

from lodestar.api.idempotency import prune


class Command(BaseCommand):
    help = "Forget the API's Idempotency-Keys older than 24 hours (run it daily)."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("prune", help="delete the keys older than 24 hours")

    def handle(self, *args, action: str, **options) -> None:
        self.stdout.write(f"{prune()} Idempotency-Keys older than 24 hours forgotten.")
