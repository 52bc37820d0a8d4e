"""Personal API tokens: stored hashed, shown once, revocable, last use recorded; the
browser's session works too (with CSRF on writes)."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from lodestar.api.models import ApiToken
from lodestar.api.services import api_token_create, api_token_revoke


def bearer(secret: str) -> Client:
    return Client(headers={"authorization": f"Bearer {secret}"})


def test_it_stores_only_the_hash_and_a_short_prefix(world):
    token, secret = api_token_create(acting=None, person=world.member, name="CRM sync")
    assert token.hashed == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    assert not ApiToken.objects.filter(hashed=secret).exists()


def test_a_token_authenticates_as_its_person(world):
    _, secret = api_token_create(acting=None, person=world.member, name="script")
    response = bearer(secret).get(f"/api/v1/people/{world.member.pk}")
    assert response.status_code == 200
    assert response.json()["username"] == "member"


def test_it_refuses_a_wrong_or_missing_token_with_401(world):
    for client in (Client(), bearer("lds_not-a-token")):
        response = client.get("/api/v1/units/")
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication required.", "errors": {}}


def test_a_revoked_token_no_longer_works(world):
    token, secret = api_token_create(acting=None, person=world.member, name="old")
    api_token_revoke(acting=None, token=token)
    assert bearer(secret).get("/api/v1/units/").status_code == 401


def test_a_deactivated_persons_token_no_longer_works(world):
    _, secret = api_token_create(acting=None, person=world.member, name="script")
    world.member.is_active = False
    world.member.save()
    assert bearer(secret).get("/api/v1/units/").status_code == 401


def test_it_records_the_last_use_at_most_once_a_minute(world):
    token, secret = api_token_create(acting=None, person=world.member, name="script")
    with time_machine.travel("2026-11-22 10:00:00Z", tick=False):
        bearer(secret).get("/api/v1/units/")
    token.refresh_from_db()
    assert token.last_used_at.isoformat() == "2026-11-22T10:00:00+00:00"
    with time_machine.travel("2026-11-22 10:00:30Z", tick=False):
        bearer(secret).get("/api/v1/units/")
    token.refresh_from_db()
    assert token.last_used_at.isoformat() == "2026-11-22T10:00:00+00:00"
    with time_machine.travel(token.last_used_at + timedelta(minutes=2), tick=False):
        bearer(secret).get("/api/v1/units/")
        token.refresh_from_db()
        assert token.last_used_at == timezone.now()


def test_the_browser_session_works_and_needs_csrf_for_writes(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.admin)
    assert browser.get("/api/v1/units/").status_code == 200
    refused = browser.post("/api/v1/units/", {"name": "X"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get("/settings/tokens/")  # any page sets the CSRF cookie
    allowed = browser.post(
        "/api/v1/units/",
        {"name": "X", "parent": world.company.pk},  # one company: a unit goes inside it
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert allowed.status_code == 201
    assert Client().get("/api/v1/units/").status_code == 401


def test_the_tokens_page_shows_a_new_secret_once(world):
    browser = Client()
    browser.force_login(world.member)
    page = browser.post("/settings/tokens/", {"name": "CRM sync"})
    assert page.status_code == 200
    token = ApiToken.objects.get(person=world.member)
    secret = page.context["secret"]
    assert secret.startswith(token.prefix) and secret in page.content.decode()
    again = browser.get("/settings/tokens/").content.decode()
    assert "CRM sync" in again and secret not in again and token.prefix in again


def test_the_tokens_page_names_a_missing_name(world):
    browser = Client()
    browser.force_login(world.member)
    page = browser.post("/settings/tokens/", {"name": "  "})
    assert page.status_code == 400
    assert "name" in page.context["errors"]
    assert not ApiToken.objects.exists()


def test_the_tokens_page_revokes_only_ones_own_tokens(world):
    mine, _ = api_token_create(acting=None, person=world.member, name="mine")
    theirs, _ = api_token_create(acting=None, person=world.lead, name="theirs")
    browser = Client()
    browser.force_login(world.member)
    assert browser.post(f"/settings/tokens/{theirs.pk}/revoke").status_code == 404
    assert browser.post(f"/settings/tokens/{mine.pk}/revoke").status_code == 302
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_the_tokens_page_needs_a_login(world):
    assert Client().get("/settings/tokens/").status_code == 302


def test_the_token_command_creates_lists_and_revokes(world, capsys):
    call_command("token", "create", "member", "--name", "nightly import")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert bearer(secret).get("/api/v1/units/").status_code == 200
    token = ApiToken.objects.get(person=world.member)
    call_command("token", "list", "member")
    listing = capsys.readouterr().out
    assert "nightly import" in listing and token.prefix in listing and secret not in listing
    call_command("token", "revoke", str(token.pk))
    assert bearer(secret).get("/api/v1/units/").status_code == 401


def test_the_token_command_names_an_unknown_person(world):
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", "nobody")


def test_a_session_put_with_the_csrf_token_is_accepted_and_without_it_refused(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.member)
    browser.get("/settings/tokens/")  # any page sets the CSRF cookie
    body = {"channel": "email", "weekday": 2}
    refused = browser.put("/api/v1/me/notifications", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    allowed = browser.put(
        "/api/v1/me/notifications",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert allowed.status_code == 200, allowed.content
    assert allowed.json()["weekday"] == 2
    assert browser.get("/api/v1/me/notifications").json()["weekday"] == 2


def test_an_expired_token_is_refused_with_a_401_that_says_so(world):
    with time_machine.travel("2026-11-22 10:00:00Z", tick=False):
        token, secret = api_token_create(acting=None, person=world.member, name="ci", days=30)
        assert token.expires_at.isoformat() == "2026-12-22T10:00:00+00:00"
    with time_machine.travel("2026-12-22 09:59:00Z", tick=False):
        assert bearer(secret).get("/api/v1/units/").status_code == 200
    with time_machine.travel("2026-12-22 10:00:00Z", tick=False):
        refused = bearer(secret).get("/api/v1/units/")
    assert refused.status_code == 401
    assert refused.json() == {
        "detail": "This token expired on 2026-12-22 10:00 UTC; make a new one at "
        "/settings/tokens/ or with `lodestar token create`.",
        "errors": {},
    }


def test_a_token_without_an_expiry_keeps_working(world):
    token, secret = api_token_create(acting=None, person=world.member, name="ci")
    assert token.expires_at is None
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert bearer(secret).get("/api/v1/units/").status_code == 200


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_an_expiry_must_be_a_day_to_ten_years_away(world, days):
    with pytest.raises(ValidationError) as refused:
        api_token_create(acting=None, person=world.member, name="ci", days=days)
    assert refused.value.message_dict == {
        "days": ["A token expires after 1 to 3650 days (or never: leave it empty)."]
    }


def test_the_tokens_page_sets_and_shows_an_expiry(world):
    browser = Client()
    browser.force_login(world.member)
    with time_machine.travel("2026-11-22 10:00:00Z", tick=False):
        page = browser.post("/settings/tokens/", {"name": "CRM sync", "days": "30"})
        assert page.status_code == 200
        browser.post("/settings/tokens/", {"name": "forever", "days": ""})
    token = ApiToken.objects.get(name="CRM sync")
    assert token.expires_at.isoformat() == "2026-12-22T10:00:00+00:00"
    assert ApiToken.objects.get(name="forever").expires_at is None
    with time_machine.travel("2026-11-23 10:00:00Z", tick=False):
        listing = browser.get("/settings/tokens/").content.decode()
    assert "2026-12-22 10:00" in listing and "never" in listing
    with time_machine.travel("2027-01-01 10:00:00Z", tick=False):
        browser.force_login(world.member)  # the first session has ended by then
        assert "expired 2026-12-22" in browser.get("/settings/tokens/").content.decode()


def test_the_tokens_page_names_a_wrong_expiry(world):
    browser = Client()
    browser.force_login(world.member)
    for days in ("0", "soon"):
        page = browser.post("/settings/tokens/", {"name": "CRM sync", "days": days})
        assert page.status_code == 400
        assert "1 to 3650 days" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_the_token_command_sets_and_lists_the_expiry(world, capsys):
    with time_machine.travel("2026-11-22 10:00:00Z", tick=False):
        call_command("token", "create", "member", "--name", "nightly", "--days", "7")
        created = capsys.readouterr().out
        assert "expires 2026-11-29 10:00 UTC" in created
        call_command("token", "list", "member")
        assert "expires 2026-11-29 10:00 UTC\tactive" in capsys.readouterr().out
    with time_machine.travel("2026-12-01 10:00:00Z", tick=False):
        call_command("token", "list", "member")
        assert "expired 2026-11-29 10:00 UTC" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 to 3650 days"):
        call_command("token", "create", "member", "--days", "0")
