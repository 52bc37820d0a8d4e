"""Provisioning at /scim/v2/: who may call it, what it writes (through the services), and
what it refuses, each with a SCIM error and nothing written."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from lodestar.api.services import api_token_create
from lodestar.org.models import Membership, Person, Unit
from lodestar.scim.models import ScimClient
from lodestar.scim.services import scim_client_create

pytestmark = pytest.mark.django_db
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def scim(world):
    _, secret = scim_client_create(acting=world.admin, name="Okta")
    client = Client(headers={"authorization": f"Bearer {secret}"})

    def call(method: str, path: str, body=None):
        data = json.dumps(body) if body is not None else None
        return getattr(client, method)(
            f"/scim/v2/{path}", data=data, content_type="application/scim+json"
        )

    return call


def ada(**more) -> dict:
    return {
        "schemas": [USER],
        "userName": "ada",
        "externalId": "00u-ada",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": "ada@acme.example"}],
        "active": True,
        **more,
    }


def test_only_an_identity_providers_token_opens_it(world, signed_in):
    assert Client().get("/scim/v2/Users").status_code == 401
    admin_session = signed_in(world.admin)
    assert admin_session.get("/scim/v2/Users").status_code == 401  # a session is not a token
    _, api_secret = api_token_create(acting=None, person=world.admin, name="api")
    api = Client(headers={"authorization": f"Bearer {api_secret}"})
    assert api.get("/scim/v2/Users").status_code == 401
    _, secret = scim_client_create(acting=None, name="Entra")
    call_command("scim", "revoke", "Entra")
    revoked = Client(headers={"authorization": f"Bearer {secret}"})
    assert revoked.get("/scim/v2/Users").status_code == 401
    assert json.loads(revoked.get("/scim/v2/Users").content)["status"] == "401"


def test_only_an_admin_makes_a_token(world):
    for someone in (world.strat, world.lead, world.member, world.viewer):
        with pytest.raises(PermissionDenied):
            scim_client_create(acting=someone, name=f"by {someone.username}")
    assert not ScimClient.objects.exists()


def test_a_user_is_created_found_by_its_external_id_and_deprovisioned_keeping_history(world, scim):
    created = scim("post", "Users", ada())
    assert created.status_code == 201, created.content
    pk = json.loads(created.content)["id"]
    person = Person.objects.get(pk=pk)
    assert (person.username, person.email, person.last_name) == (
        "ada",
        "ada@acme.example",
        "Lovelace",
    )
    found = json.loads(scim("get", 'Users?filter=externalId eq "00u-ada"').content)
    assert [user["id"] for user in found["Resources"]] == [pk]
    off = scim(
        "patch",
        f"Users/{pk}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert off.status_code == 200 and json.loads(off.content)["active"] is False
    assert scim("delete", f"Users/{pk}").status_code == 204
    assert scim("get", f"Users/{pk}").status_code == 404
    person.refresh_from_db()
    assert person.is_active is False  # kept, with their history and key results


def test_groups_are_units_under_the_company_with_their_members(world, scim):
    pk = json.loads(scim("post", "Users", ada()).content)["id"]
    made = scim(
        "post",
        "Groups",
        {"schemas": [GROUP], "displayName": "Research", "members": [{"value": pk}]},
    )
    assert made.status_code == 201, made.content
    unit = Unit.objects.get(name="Research")
    assert unit.parent == world.company
    assert list(Membership.objects.filter(unit=unit).values_list("person_id", flat=True)) == [
        int(pk)
    ]
    removed = scim(
        "patch",
        f"Groups/{unit.pk}",
        {"schemas": [PATCH], "Operations": [{"op": "remove", "path": f'members[value eq "{pk}"]'}]},
    )
    assert removed.status_code == 200, removed.content
    assert not Membership.objects.filter(unit=unit).exists()


@pytest.mark.parametrize(
    "body, status",
    [
        (ada(userName="member"), 409),  # a user name taken
        (ada(emails=[{"value": "MEMBER@example.com"}]), 409),  # an e-mail taken, in any case
        (ada(emails=[{"value": "not an address"}]), 400),
        (ada(userName="x" * 10_000), 400),
        ({"schemas": [USER]}, 400),  # no userName
    ],
)
def test_bad_users_are_refused_with_a_scim_error_and_nothing_written(world, scim, body, status):
    world.member.email = "member@example.com"
    world.member.save()
    before = Person.objects.count()
    answer = scim("post", "Users", body)
    assert answer.status_code == status, answer.content
    assert json.loads(answer.content)["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert Person.objects.count() == before


def test_unreadable_bodies_and_unknown_members_are_refused(world, scim):
    assert scim("post", "Users", None).status_code == 400
    unknown = scim(
        "post", "Groups", {"schemas": [GROUP], "displayName": "X", "members": [{"value": "999999"}]}
    )
    assert unknown.status_code == 400
    assert not Unit.objects.filter(name="X").exists()
    assert scim("get", 'Users?filter=userName sw "a"').status_code == 400
    assert scim("get", "Users/abc").status_code == 404
    assert scim("get", "Nothing/here").status_code == 404


@pytest.mark.parametrize("hands_over", [True, False])
def test_a_token_made_to_hand_over_gives_a_leavers_open_key_results_to_their_manager(
    world, hands_over
):
    """`lodestar scim create NAME --hand-over`: a SCIM body cannot ask for it."""
    from lodestar.insights.tests.helpers import okr
    from lodestar.org.services import person_update

    person_update(acting=None, person=world.member, manager=world.lead)
    objective = okr(world, "Win the north")  # its key results are the member's
    call_command("scim", "create", "Okta", *(["--hand-over"] if hands_over else []))
    client = ScimClient.objects.get(name="Okta")
    assert client.hands_over is hands_over
    _, secret = scim_client_create(acting=None, name="Entra", hands_over=hands_over)
    scim = Client(headers={"authorization": f"Bearer {secret}"})
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    answer = scim.patch(
        f"/scim/v2/Users/{world.member.pk}",
        data=json.dumps(off),
        content_type="application/scim+json",
    )
    assert answer.status_code == 200, answer.content
    owners = set(objective.key_results.values_list("owner", flat=True))
    assert owners == {world.lead.pk if hands_over else world.member.pk}
    world.member.refresh_from_db()
    assert world.member.is_active is False


def test_a_leaver_without_a_manager_is_deactivated_keeping_their_key_results(world):
    from lodestar.insights.tests.helpers import okr

    objective = okr(world, "Win the north")
    Person.objects.filter(pk=world.member.pk).update(manager=None)
    _, secret = scim_client_create(acting=None, name="Okta", hands_over=True)
    scim = Client(headers={"authorization": f"Bearer {secret}"})
    assert scim.delete(f"/scim/v2/Users/{world.member.pk}").status_code == 204
    assert set(objective.key_results.values_list("owner", flat=True)) == {world.member.pk}
    assert Person.objects.get(pk=world.member.pk).is_active is False
