"""`lodestar token create|list|revoke`: personal API tokens from the command line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lodestar.api.models import ApiToken
from lodestar.api.services import api_token_create, api_token_revoke
from lodestar.org.models import Person
from lodestar.validation import one_line


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print its secret once")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        create.add_argument(
            "--days", type=int, help="expires after this many days (default: never)"
        )
        create.add_argument("--read-only", action="store_true", help="may read but not write")
        listing = actions.add_parser("list", help="list tokens (prefix, last use, expiry, state)")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"do_{action}")(**options)
        except ValidationError as error:
            raise CommandError(one_line(error)) from error

    def do_create(
        self, *, username: str, name: str, days: int | None, read_only: bool, **options
    ) -> None:
        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"No person with username {username!r}.")
        token, secret = api_token_create(
            acting=None, person=person, name=name, days=days, read_only=read_only
        )
        self.stdout.write(
            f"Token {token.pk} for {person.username}, {token.scope}, {token.expiry}; "
            "the secret is shown once:"
        )
        self.stdout.write(secret)

    def do_list(self, *, username: str | None, **options) -> None:
        tokens = ApiToken.objects.select_related("person").order_by("pk")
        if username:
            tokens = tokens.filter(person__username=username)
        for token in tokens:
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            state = "revoked" if token.revoked_at else "expired" if token.expired else "active"
            self.stdout.write(
                f"{token.pk}\t{token.person.username}\t{token.name}\t{token.prefix}…"
                f"\tlast used {used}\t{token.scope}\t{token.expiry}\t{state}"
            )

    def do_revoke(self, *, id: int, **options) -> None:
        token = ApiToken.objects.filter(pk=id).first()
        if token is None:
            raise CommandError(f"No token with id {id}.")
        api_token_revoke(acting=None, token=token)
        self.stdout.write(f"Token {token.pk} ({token.prefix}…) revoked.")
