from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lodestar.exchange.people import person_named
from lodestar.exchange.starters import STARTERS
from lodestar.exchange.template import (
    starter_import,
    starter_names,
    starter_path,
    template_workbook,
)


class Command(BaseCommand):
    help = (
        "Spreadsheet templates: `template workbook FILE` writes the empty layout with an "
        "example row per sheet; `template list` names the starter templates; "
        "`template apply NAME [--as LOGIN]` imports one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["workbook", "list", "apply"])
        parser.add_argument("argument", nargs="?", help="FILE for workbook, NAME for apply")
        parser.add_argument("--as", dest="login", help="apply as this person (their rights)")

    def handle(self, *args, action: str, argument: str | None, login: str | None, **options):
        if action == "list":
            for name in starter_names():
                self.stdout.write(f"{name:16} {STARTERS[name]['title']}")
            return
        if not argument:
            raise CommandError(
                f"`template {action}` needs a {'FILE' if action == 'workbook' else 'NAME'}."
            )
        if action == "workbook":
            Path(argument).write_bytes(template_workbook())
            self.stdout.write(self.style.SUCCESS(f"Wrote the template workbook to {argument}."))
            return
        if starter_path(argument) is None:
            raise CommandError(f"No starter template {argument!r}; `template list` names them.")
        report = starter_import(argument, acting=person_named(login))
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError("The template was not applied.")
        self.stdout.write(self.style.SUCCESS(f"Applied the {argument} template."))
