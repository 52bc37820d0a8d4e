"""The profile page and the API's /me: a person's name, time zone and language, applied to
every page they read (dates in their zone; their language, else the browser's)."""

from datetime import UTC, datetime

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from lodestar.conftest import token_client
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_sets_their_time_zone_and_language_and_pages_follow(world, signed_in):
    client = signed_in(world.member)
    page = client.get("/account/profile/")
    assert page.status_code == 200
    assert "Europe/Berlin" in page.content.decode()
    saved = client.post(
        "/account/profile/",
        {"first_name": "Mia", "last_name": "Berg", "time_zone": "Asia/Tokyo", "language": "de"},
    )
    assert saved.status_code == 302
    member = Person.objects.get(pk=world.member.pk)
    assert (member.first_name, member.time_zone, member.language) == ("Mia", "Asia/Tokyo", "de")
    # A check-in at 20:30 UTC is 05:30 the next day in Tokyo.
    objective = objective_create(acting=None, cycle=world.cycle, title="Mine", owner=member)
    key_result = key_result_create(
        acting=None, objective=objective, title="Calls", target=5, owner=member
    )
    at = datetime(2026, 11, 3, 20, 30, tzinfo=UTC)
    checkin = checkin_create(acting=member, key_result=key_result, value=1, confidence=5)
    type(checkin).objects.filter(pk=checkin.pk).update(created_at=at)
    shown = client.get(f"/key-results/{key_result.pk}/")
    assert shown["Content-Language"] == "de"
    assert "Accept-Language" in shown["Vary"]
    assert "4 Nov 2026 05:30" in shown.content.decode()  # in the person's zone


def test_without_a_choice_the_browser_and_the_installation_decide(world, signed_in, settings):
    settings.TIME_ZONE = "UTC"
    client = signed_in(world.member)
    answer = client.get("/account/profile/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert answer["Content-Language"] == "fr"
    assert client.get("/account/profile/")["Content-Language"] == "en"
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated after the request


def test_a_viewer_sets_their_own_preferences_but_not_their_name(world, signed_in):
    client = signed_in(world.viewer)
    client.post(
        "/account/profile/",
        {"first_name": "Changed", "time_zone": "America/Sao_Paulo", "language": "pt-br"},
    )
    viewer = Person.objects.get(pk=world.viewer.pk)
    assert (viewer.first_name, viewer.time_zone, viewer.language) == (
        "Viewer",
        "America/Sao_Paulo",
        "pt-br",
    )


def test_bad_choices_are_refused_by_name_and_nothing_is_written(world, signed_in):
    client = signed_in(world.member)
    answer = client.post("/account/profile/", {"time_zone": "Mars/Olympus", "language": "de"})
    assert answer.status_code == 400
    assert Person.objects.get(pk=world.member.pk).language == ""
    api = token_client(world.member)
    refused = api.patch(
        "/api/v1/me", {"time_zone": "Mars/Olympus"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "Mars/Olympus" in refused.json()["errors"]["time_zone"][0]
    refused = api.patch("/api/v1/me", {"language": "xx"}, content_type="application/json")
    assert refused.status_code == 400 and "language" in refused.json()["errors"]


def test_the_api_reads_and_writes_ones_own_preferences(world):
    api = token_client(world.viewer)
    assert api.get("/api/v1/me").json()["time_zone"] == ""
    answer = api.patch(
        "/api/v1/me",
        {"time_zone": "Europe/Lisbon", "language": "fr"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["time_zone"], answer.json()["language"]) == ("Europe/Lisbon", "fr")
    back = api.patch("/api/v1/me", {"time_zone": ""}, content_type="application/json")
    assert (back.json()["time_zone"], back.json()["language"]) == ("", "fr")


def test_preferences_stay_out_of_everyones_history(world, signed_in):
    before = LogEntry.objects.count()
    signed_in(world.member).post("/account/profile/", {"first_name": "Member", "language": "nl"})
    assert LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count() == before
