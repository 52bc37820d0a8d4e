from django.core.management.base import BaseCommand

from lodestar.exchange.exporter import export_write
from lodestar.exchange.people import person_named


class Command(BaseCommand):
    help = (
        "Export the organisation, scorecards and OKRs in the import layout: FILE.xlsx, "
        "FILE.zip (CSV files) or a folder of CSV files. --as LOGIN exports what that person sees."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--as", dest="login", help="export what this person may see")

    def handle(self, *args, file: str, login: str | None, **options) -> None:
        rows = export_write(
            file, acting=person_named(login), say=lambda line: self.stdout.write(f"  {line}")
        )
        total = sum(len(sheet) for sheet in rows.values())
        self.stdout.write(self.style.SUCCESS(f"Exported {total} rows to {file}."))
