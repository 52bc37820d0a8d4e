"""Units and people: everyone reads; the tree and accounts are the admin's; people edit
their own name and e-mail."""

import pytest
from django.http import HttpRequest
from django.test import Client

from lodestar.org.models import Person, Unit

PERSONAS = ["admin", "strat", "lead", "member", "viewer", "outsider"]


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_units_and_people(world, as_, persona):
    client = as_(persona)
    assert len(client.get("/api/v1/units/").json()["items"]) == 4
    assert len(client.get(f"/api/v1/people/?unit={world.sales.pk}").json()["items"]) == 2


@pytest.mark.parametrize(
    ("persona", "status"), [(p, 201 if p == "admin" else 403) for p in PERSONAS]
)
def test_only_admins_change_the_tree(world, as_, persona, status):
    body = {"name": "Field Sales", "parent": world.sales.pk}
    assert send(as_(persona), "post", "units/", body).status_code == status


def test_units_are_created_moved_and_deleted(world, as_):
    client = as_("admin")
    unit = send(
        client, "post", "units/", {"name": "Ops", "kind": "department", "parent": world.company.pk}
    ).json()
    moved = send(client, "patch", f"units/{unit['id']}", {"parent": world.support.pk})
    assert moved.json()["parent"] == world.support.pk
    assert len(client.get(f"/api/v1/units/?parent={world.support.pk}").json()["items"]) == 1
    assert send(client, "delete", f"units/{unit['id']}").status_code == 204
    assert not Unit.objects.filter(pk=unit["id"]).exists()


def test_a_unit_cannot_move_below_itself(world, as_):
    response = send(
        as_("admin"), "patch", f"units/{world.sales.pk}", {"parent": world.inside_sales.pk}
    )
    assert response.status_code == 400 and "parent" in response.json()["errors"]


def test_admins_create_people_who_can_then_log_in(world, as_):
    body = {
        "username": "newbie",
        "first_name": "New",
        "password": "s3cret-pass",
        "role": "member",
        "manager": world.lead.pk,
    }
    response = send(as_("admin"), "post", "people/", body)
    assert response.status_code == 201
    assert "password" not in response.json()
    # The sign-in throttle (django-axes) counts attempts per request, so login() needs one.
    assert Client().login(request=HttpRequest(), username="newbie", password="s3cret-pass")
    assert send(as_("lead"), "post", "people/", {"username": "x"}).status_code == 403


def test_people_edit_their_own_name_but_not_their_role(world, as_):
    client = as_("member")
    path = f"people/{world.member.pk}"
    assert send(client, "patch", path, {"first_name": "Mia"}).json()["first_name"] == "Mia"
    assert send(client, "patch", path, {"role": "admin"}).status_code == 403
    assert send(client, "patch", f"people/{world.lead.pk}", {"first_name": "X"}).status_code == 403
    world.member.refresh_from_db()
    assert world.member.role == Person.Role.MEMBER


def test_a_bad_email_names_the_field(world, as_):
    response = send(as_("member"), "patch", f"people/{world.member.pk}", {"email": "nope"})
    assert response.status_code == 400 and "email" in response.json()["errors"]


def test_deleting_a_person_deactivates_them(world, as_):
    assert send(as_("lead"), "delete", f"people/{world.member.pk}").status_code == 403
    assert send(as_("admin"), "delete", f"people/{world.member.pk}").status_code == 204
    world.member.refresh_from_db()
    assert not world.member.is_active
