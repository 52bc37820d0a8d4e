from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lodestar.exchange.incoming import (
    LODESTAR,
    Incoming,
    import_incoming,
    preview_incoming,
    read_incoming,
    shape_modules,
)
from lodestar.exchange.mapping.package import read_by_mapping
from lodestar.exchange.mapping.spec import BadMapping
from lodestar.exchange.people import person_named
from lodestar.exchange.reader import read
from lodestar.exchange.uploads import pending_clean


class Command(BaseCommand):
    help = (
        "Import an .xlsx workbook, a .csv file, or a zip or folder of CSV files in the layout "
        "of docs/import.md, or a file of another shape (--from, else found from its headers "
        "or zip entries). All or nothing; exits non-zero when any row is refused. "
        "--clean-expired removes the uploads of the import page left unconfirmed (for cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument("--as", dest="login", help="import as this person (their permissions)")
        parser.add_argument(
            "--from",
            dest="shape",
            choices=[LODESTAR, *shape_modules()],
            help="the file's shape (default: found from its headers or zip entries)",
        )
        parser.add_argument(
            "--person",
            dest="people",
            action="append",
            default=[],
            metavar="'DISPLAY NAME=LOGIN'",
            help="who a person named only by display name is (a login or e-mail here); "
            "repeat it for each",
        )
        parser.add_argument(
            "--map",
            dest="mapping",
            metavar="MAPPING",
            help="read FILE, a CSV or XLSX of any shape, by this mapping (its JSON file, "
            "exported from the mapping page, or a saved mapping's name)",
        )
        parser.add_argument(
            "--clean-expired",
            action="store_true",
            help="remove the import page's expired unconfirmed uploads, and import nothing",
        )

    def handle(
        self,
        *args,
        file: str | None,
        dry_run: bool,
        login: str | None,
        shape: str | None,
        people: list[str],
        mapping: str | None,
        clean_expired: bool,
        **options,
    ) -> None:
        if clean_expired:
            removed = pending_clean()
            self.stdout.write(f"{removed} expired upload{'s' if removed != 1 else ''} removed.")
            return
        if file is None:
            raise CommandError("Name the file to import (or give --clean-expired).")
        acting = person_named(login)
        self.stdout.write(f"Reading {file}…")
        if mapping is not None:
            incoming = mapped_incoming(file, mapping, acting)
        else:
            incoming = incoming_of(file, shape, acting, people_mapped(people))
        if dry_run:  # reads only, as the page's preview: no write lock held
            report = preview_incoming(incoming, acting=acting)
        else:
            report = import_incoming(
                incoming, acting=acting, say=lambda line: self.stdout.write(f"  {line}")
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


def people_mapped(pairs: list[str]) -> dict[str, str]:
    mapped = {}
    for pair in pairs:
        name, _, ref = pair.partition("=")
        if not name.strip() or not ref.strip():
            raise CommandError(f"--person {pair!r}: write it as 'Display Name=login'.")
        mapped[name.strip()] = ref.strip()
    return mapped


def incoming_of(file: str, shape: str | None, acting, people: dict[str, str]) -> Incoming:
    path = Path(file)
    if path.is_dir() or not path.exists() or shape == LODESTAR:
        return Incoming(read(path))  # a folder of CSV files, or the reader's own refusal
    options = {"people": people} if people else {}
    with path.open("rb") as stream:
        return read_incoming(stream, path.name, acting=acting, shape=shape, **options)


def mapped_incoming(file: str, mapping: str, acting) -> Incoming:
    try:
        return read_by_mapping(Path(file), mapping, acting=acting)
    except BadMapping as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
