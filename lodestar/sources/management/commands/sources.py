"""`lodestar sources demo`: make three demo measures fill themselves (see sources/demo.py)."""

from django.core.management.base import BaseCommand

from lodestar.sources.demo import sources_demo


class Command(BaseCommand):
    help = "demo: on the demo organisation, one measure from SQL, one from CSV, one calculated."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["demo"])

    def handle(self, *args, action: str, **options) -> None:
        def say(line: str) -> None:
            self.stdout.write(f"  {line}")

        if sources_demo(say):
            self.stdout.write(self.style.SUCCESS("Three demo measures now fill themselves."))
