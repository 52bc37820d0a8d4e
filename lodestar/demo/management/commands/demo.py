import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from lodestar.demo.build import demo_create, demo_workbook
from lodestar.demo.data import PASSWORD
from lodestar.demo.generate import SIZES, generate

BAR = 30


class Command(BaseCommand):
    help = (
        "Create the demo organisation once; safe to run again. Without --size the named "
        "20-person company (Northwind Analytics); --size medium or enterprise generates a "
        "1,000- or 10,000-person one in bulk (deterministic)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=["small", *SIZES], default="small")
        parser.add_argument(
            "--workbook",
            metavar="FILE.xlsx",
            help="Write the named demo as the workbook it is imported from (dated today) "
            "instead of building it.",
        )

    def handle(self, *args, size: str, workbook: str | None, **options) -> None:
        if workbook:
            Path(workbook).write_bytes(demo_workbook(timezone.localdate()))
            self.stdout.write(f"Wrote the demo workbook to {workbook}.")
            return
        if size == "small":
            self.stdout.write("Loading the demo organisation…")
            created = demo_create(say=lambda line: self.stdout.write(f"  {line}"))
        else:
            self.stdout.write(f"Generating the {size} demo organisation…")
            started = time.monotonic()
            created = generate(size, report=self.progress_bar())
            if created:
                self.stdout.write(f"  built in {time.monotonic() - started:.0f} s")
        if created:
            self.stdout.write(self.style.SUCCESS("Demo organisation created."))
        else:
            self.stdout.write("The demo organisation is already there; nothing changed.")
        self.stdout.write(
            f"Sign in as admin / {PASSWORD} (every demo person has this password, e.g. ceo)."
        )

    def progress_bar(self):
        """One line per stage, redrawn in place on a terminal, printed once when done."""
        terminal = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()
        last = {"stage": None, "shown": -1}

        def report(stage: str, done: int, total: int) -> None:
            if stage == "done":
                return
            share = done / total if total else 1.0
            filled = round(BAR * share)
            line = f"  {stage:<48} [{'#' * filled}{'.' * (BAR - filled)}] {done:>9,}/{total:,}"
            percent = int(share * 100)
            if terminal and percent != last["shown"]:
                self.stdout.write(f"\r{line}", ending="")
                self.stdout.flush()
            if done >= total:
                self.stdout.write("\r" + line if terminal else line)
            last["stage"], last["shown"] = stage, percent

        return report
