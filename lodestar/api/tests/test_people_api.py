"""The API does what the people and unit pages do (issue 23), through the same services:
invite, invite many, send again, deactivate and reactivate, move a unit, set its lead,
close it."""

import pytest
from django.core import mail
from django.test import Client

from lodestar.okrs.services import objective_create
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.services import unit_create

PERSONAS = ["admin", "strat", "lead", "member", "viewer", "outsider"]


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


@pytest.mark.parametrize(
    ("persona", "status"), [(p, 201 if p == "admin" else 403) for p in PERSONAS]
)
def test_only_the_admin_invites(world, as_, persona, status):
    body = {"email": "ada@example.com", "units": [world.sales.pk]}
    answer = send(as_(persona), "post", "invitations", body)
    assert answer.status_code == status
    assert len(mail.outbox) == (1 if status == 201 else 0)


def test_an_invitation_answers_the_person_and_refuses_a_taken_email(world, as_):
    client = as_("admin")
    answer = send(client, "post", "invitations", {"email": "Ada@example.com"})
    assert answer.status_code == 201
    assert answer.json()["username"] == "ada@example.com"
    again = send(client, "post", "invitations", {"email": "ADA@EXAMPLE.COM"})
    assert again.status_code == 409 and "email" in again.json()["errors"]
    long = send(client, "post", "invitations", {"email": "b@x.org", "first_name": "x" * 10_000})
    assert long.status_code == 422
    unknown = send(client, "post", "invitations", {"email": "c@x.org", "units": [99999]})
    assert unknown.status_code == 404
    assert Person.objects.filter(email__in=["b@x.org", "c@x.org"]).count() == 0


def test_many_are_invited_all_or_nothing(world, as_):
    client = as_("admin")
    rows = [
        {"email": "ann@example.com", "unit": "sales"},
        {"email": "ben@example.com", "unit": "Nowhere"},
        {"email": "ANN@example.com"},
    ]
    answer = send(client, "post", "invitations/bulk", {"rows": rows})
    assert answer.status_code == 400
    assert answer.json()["errors"]["people"] == [
        "Row 2, unit: No unit named “Nowhere”.",
        "Row 3, e-mail: ann@example.com is also on row 1.",
    ]
    assert not Person.objects.filter(email="ann@example.com").exists() and mail.outbox == []
    csv = "email,first name,role\nann@example.com,Ann,viewer\nben@example.com,Ben,\n"
    answer = send(client, "post", "invitations/bulk", {"csv": csv})
    assert answer.status_code == 201
    assert [(p["email"], p["role"]) for p in answer.json()] == [
        ("ann@example.com", "viewer"),
        ("ben@example.com", "member"),
    ]
    assert len(mail.outbox) == 2


def test_an_invitation_is_sent_again_and_a_person_leaves_and_comes_back(world, as_):
    client = as_("admin")
    ada = send(client, "post", "invitations", {"email": "ada@example.com"}).json()
    assert send(client, "post", f"people/{ada['id']}/invitation").status_code == 202
    assert len(mail.outbox) == 2
    answer = send(client, "post", f"people/{world.member.pk}/deactivate", {"hand_over": True})
    assert answer.status_code == 400 and "hand_over" in answer.json()["errors"]
    answer = send(client, "post", f"people/{world.member.pk}/deactivate", {})
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    member_token = as_("member")
    assert member_token.get("/api/v1/me").status_code == 401
    answer = send(client, "post", f"people/{world.member.pk}/reactivate")
    assert answer.json()["is_active"] is True
    assert send(as_("lead"), "post", f"people/{world.member.pk}/deactivate", {}).status_code == 403


def test_units_move_get_a_lead_and_close(world, as_):
    client = as_("admin")
    field = unit_create(acting=None, name="Field", parent=world.sales)
    loop = send(client, "post", f"units/{world.sales.pk}/move", {"parent": field.pk})
    assert loop.status_code == 400 and "parent" in loop.json()["errors"]
    moved = send(client, "post", f"units/{field.pk}/move", {"parent": world.support.pk})
    assert moved.json()["parent"] == world.support.pk
    lead = send(client, "put", f"units/{field.pk}/lead", {"person": world.member.pk})
    assert lead.status_code == 200 and lead.json()["role"] == "lead"
    assert Membership.objects.get(unit=field, role="lead").person == world.member
    objective_create(acting=None, cycle=world.cycle, title="Dig", unit=field)
    refused = send(client, "post", f"units/{field.pk}/close", {})
    assert refused.status_code == 400 and "move_to" in refused.json()["errors"]
    assert send(as_("lead"), "post", f"units/{field.pk}/close", {}).status_code == 403
    closed = send(client, "post", f"units/{field.pk}/close", {"move_to": world.support.pk})
    assert closed.status_code == 204
    assert not Unit.objects.filter(pk=field.pk).exists()
    assert world.support.okr_objectives.filter(title="Dig").exists()
