from django.core.management.base import BaseCommand, CommandError

from lodestar.exchange.importer import import_book
from lodestar.exchange.people import person_named
from lodestar.exchange.reader import read


class Command(BaseCommand):
    help = (
        "Import an .xlsx workbook, a .csv file, or a zip or folder of CSV files in the layout "
        "of docs/import.md. All or nothing; exits non-zero when any row is refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument("--as", dest="login", help="import as this person (their permissions)")

    def handle(self, *args, file: str, dry_run: bool, login: str | None, **options) -> None:
        acting = person_named(login)
        self.stdout.write(f"Reading {file}…")
        book = read(file)
        report = import_book(
            book, acting=acting, dry_run=dry_run, say=lambda line: self.stdout.write(f"  {line}")
        )
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{len(report.problems)} problems; nothing was imported.")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS("Dry run: everything would import; nothing written.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))
