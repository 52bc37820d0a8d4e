"""The identity providers' bearer tokens: made and revoked by admins only."""

from django.utils import timezone

from lodestar.api.services import new_secret
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed_nothing
from lodestar.org.models import Person
from lodestar.org.permissions import Action, require
from lodestar.scim.models import ScimClient
from lodestar.validation import validated_save

TOKEN_PREFIX = "scim_"


@service
def scim_client_create(
    *, acting: Actor, name: str, hands_over: bool = False
) -> tuple[ScimClient, str]:
    """A token for one identity provider; its secret is returned once, never stored.
    `hands_over`: the people it deactivates hand their open key results to their manager."""
    require(acting, Action.CHANGE, Person())  # who may change people: the admin
    secret, stored = new_secret(TOKEN_PREFIX)
    client = ScimClient(name=name, created_by=acting, hands_over=hands_over, **stored)
    changed_nothing()  # a way in: no kept figure reads it
    return validated_save(client), secret


@service
def scim_client_revoke(*, acting: Actor, client: ScimClient) -> ScimClient:
    require(acting, Action.CHANGE, Person())
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
    changed_nothing()  # a way in: no kept figure reads it
    return client
