from django.core.management.base import BaseCommand

from lodestar.exchange.backup import backup_write


class Command(BaseCommand):
    help = "Write the whole installation to FILE as one versioned JSON document."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        document = backup_write(file, say=lambda line: self.stdout.write(f"  {line}"))
        rows = sum(len(rows) for rows in document["tables"].values())
        self.stdout.write(self.style.SUCCESS(f"Backed up {rows} rows to {file}."))
