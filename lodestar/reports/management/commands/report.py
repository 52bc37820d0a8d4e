"""`lodestar report CYCLE FILE.pdf` or `lodestar report --person LOGIN FILE.pdf`."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Model
from django.http import Http404

from lodestar.okrs.models import Cycle
from lodestar.org.models import Person
from lodestar.org.reader import Reader
from lodestar.reports.pdf import pdf_from_template
from lodestar.reports.views import person_context, review_context


class Command(BaseCommand):
    help = "Writes the quarterly integrated review of a cycle, or a person's summary, as PDF."

    def add_arguments(self, parser):
        parser.add_argument("cycle", nargs="?", help="the cycle's name or id")
        parser.add_argument("file", help="where to write the PDF")
        parser.add_argument("--person", help="a person's summary instead (their login)")
        parser.add_argument("--as", dest="viewer", help="render as this login (default: an admin)")

    def handle(self, *args, cycle=None, file, person=None, viewer=None, **options):
        reader = self.viewer(viewer)
        started = time.perf_counter()
        if person:
            subject = self.readable(reader, self.person(person))
            content = pdf_from_template("reports/person_pdf.html", person_context(reader, subject))
        else:
            if not cycle:
                raise CommandError("Name a cycle (its name or id), or --person LOGIN.")
            found = Cycle.objects.filter(name=cycle).first() or (
                Cycle.objects.filter(pk=int(cycle)).first() if cycle.isdigit() else None
            )
            if found is None:
                raise CommandError(f"No cycle named {cycle!r}.")
            found = self.readable(reader, found)
            content = pdf_from_template("reports/review_pdf.html", review_context(reader, found))
        Path(file).write_bytes(content)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Wrote {file} ({len(content) // 1024} KiB) in {seconds:.1f} s.")

    def readable(self, viewer: Person, found: Model) -> Model:
        """What the command renders, loaded through the viewer's reader."""
        try:
            return Reader.for_person(viewer).load(type(found), found.pk)
        except Http404 as error:
            raise CommandError(f"{viewer} may not see {found}.") from error

    def person(self, login: str) -> Person:
        found = Person.objects.filter(username=login).first()
        if found is None:
            raise CommandError(f"No person with the login {login!r}.")
        return found

    def viewer(self, login: str | None) -> Person:
        if login:
            return self.person(login)
        admin = Person.objects.filter(is_active=True, role=Person.Role.ADMIN).first()
        admin = admin or Person.objects.filter(is_active=True, is_superuser=True).first()
        if admin is None:
            raise CommandError("No admin to render as: give --as LOGIN.")
        return admin
