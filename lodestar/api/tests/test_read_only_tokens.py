"""A read-only token (for dashboards and reports) reads everything its person may read and
writes nothing: every write is refused with a 403 that says why, and nothing is written."""

import pytest
from django.core.management import call_command
from django.test import Client

from lodestar.api.models import ApiToken
from lodestar.api.services import api_token_create
from lodestar.okrs.models import Objective

pytestmark = pytest.mark.django_db


def client_of(secret: str) -> Client:
    return Client(headers={"authorization": f"Bearer {secret}"})


def test_it_reads_but_never_writes(world):
    _, secret = api_token_create(acting=None, person=world.lead, name="wall", read_only=True)
    client = client_of(secret)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/objectives/").status_code == 200
    refused = client.post(
        "/api/v1/objectives/",
        {"title": "Grow", "cycle": world.cycle.pk, "unit": world.sales.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    assert not Objective.objects.filter(title="Grow").exists()
    assert (
        client.patch(f"/api/v1/units/{world.sales.pk}", {}, "application/json").status_code == 403
    )


def test_the_page_and_the_command_make_one_and_show_its_scope(world, signed_in, capsys):
    page = signed_in(world.member)
    made = page.post("/settings/tokens/", {"name": "board", "read_only": "on"})
    assert made.status_code == 200
    assert ApiToken.objects.get(name="board").read_only
    listed = page.get("/settings/tokens/").content.decode()
    assert "read only" in listed
    call_command("token", "create", "member", "--name", "cli", "--read-only")
    assert "read only" in capsys.readouterr().out
    assert ApiToken.objects.get(name="cli").read_only
    call_command("token", "create", "member", "--name", "writer")
    assert not ApiToken.objects.get(name="writer").read_only
