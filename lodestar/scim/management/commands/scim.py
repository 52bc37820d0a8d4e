"""`lodestar scim create NAME | list | revoke NAME`: the bearer tokens identity providers
use to provision people and units at /scim/v2/."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lodestar.links import absolute
from lodestar.scim.models import ScimClient
from lodestar.scim.services import scim_client_create, scim_client_revoke
from lodestar.validation import one_line


class Command(BaseCommand):
    help = "Make, list or revoke the SCIM bearer token of an identity provider."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("name", nargs="?")
        parser.add_argument(
            "--hand-over",
            action="store_true",
            help="create: a person it deactivates hands their open key results to their manager",
        )

    def handle(self, *args, action: str, name: str | None, **options) -> None:
        if action == "list":
            for client in ScimClient.objects.order_by("name"):
                state = "revoked" if client.revoked_at else "active"
                used = client.last_used_at or "never"
                hands = "\thands over key results" if client.hands_over else ""
                self.stdout.write(
                    f"{client.name}\t{client.prefix}…\t{state}\tlast used {used}{hands}"
                )
            return
        if not name:
            raise CommandError(f"`lodestar scim {action}` needs the identity provider's name.")
        if action == "create":
            try:
                _, secret = scim_client_create(
                    acting=None, name=name, hands_over=options["hand_over"]
                )
            except ValidationError as refused:
                raise CommandError(one_line(refused)) from refused
            self.stdout.write(f"SCIM base URL: {absolute('/scim/v2/')}")
            self.stdout.write(f"Bearer token (shown once): {secret}")
            return
        client = ScimClient.objects.filter(name=name).first()
        if client is None:
            raise CommandError(f"No SCIM token named {name!r}.")
        scim_client_revoke(acting=None, client=client)
        self.stdout.write(f"Revoked {client}.")
