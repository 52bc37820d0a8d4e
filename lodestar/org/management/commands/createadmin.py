"""`lodestar createadmin`: an admin made from the shell, e.g. the first one of an installation
filled by an import (whose people have no passwords), with the same rules as /setup/."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lodestar.org.first_run import first_admin_create
from lodestar.validation import one_line

PASSWORD_VARIABLE = "LODESTAR_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an admin who can sign in with a password. The password is asked for, or read "
        f"from {PASSWORD_VARIABLE} (never from the command line, where `ps` shows it)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, email, first_name, last_name, **options) -> None:
        password = os.environ.get(PASSWORD_VARIABLE) or self.ask_password()
        try:
            admin = first_admin_create(
                acting=None,
                code=None,
                username=username,
                email=email,
                first_name=first_name,
                last_name=last_name,
                password=password,
            )
        except ValidationError as refused:
            raise CommandError(f"No admin created. {one_line(refused)}") from refused
        self.stdout.write(self.style.SUCCESS(f"{admin} ({admin.username}) is an admin now."))

    def ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("No admin created: the two passwords differ.")
        return password
