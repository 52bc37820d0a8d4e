from django.core.management.base import BaseCommand

from lodestar.demo.build import demo_create
from lodestar.demo.data import PASSWORD


class Command(BaseCommand):
    help = "Create the demo organisation (Northwind Analytics) once; safe to run again."

    def handle(self, *args, **options) -> None:
        def say(line: str) -> None:
            self.stdout.write(f"  {line}")

        self.stdout.write("Loading the demo organisation…")
        if demo_create(say=say):
            self.stdout.write(self.style.SUCCESS("Demo organisation created."))
        else:
            self.stdout.write("The demo organisation is already there; nothing changed.")
        self.stdout.write(
            f"Sign in as admin / {PASSWORD} (every demo person has this password, e.g. ceo)."
        )
