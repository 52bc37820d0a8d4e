from django.core.management.base import BaseCommand, CommandError

from lodestar.exchange.backup import RestoreRefused, restore_read


class Command(BaseCommand):
    help = "Load a backup written by `lodestar backup` into an empty, migrated database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            rows = restore_read(file, say=lambda line: self.stdout.write(f"  {line}"))
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {file}."))
