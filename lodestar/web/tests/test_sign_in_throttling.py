"""Guessing passwords: after AXES_FAILURE_LIMIT failures one user name from one address is
locked for the cool-off, even with the right password; others are not; the API's tokens
are never counted."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lodestar.conftest import token_client

ATTACKER = "203.0.113.7"


def sign_in(username: str, password: str, address: str = ATTACKER, path: str = "/login/"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def got_in(response) -> bool:
    return response.status_code == 302 and "/login/" not in response["Location"]


def guess_wrong(username: str, times: int = 50) -> list:
    return [sign_in(username, f"guess-{n}") for n in range(times)]


def test_the_limit_and_cool_off_are_the_defaults_of_ten_failures_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_fifty_wrong_passwords_lock_the_user_name_on_that_address(world):
    answers = guess_wrong("lead")
    assert [a.status_code for a in answers[:9]] == [200] * 9  # the form with its error
    assert {a.status_code for a in answers[9:]} == {429}  # from the tenth failure on
    page = answers[-1].content.decode()
    assert "Too many failed sign-ins; try again in 15 minutes." in page


def test_the_right_password_is_refused_during_the_lock(world):
    guess_wrong("lead")
    response = sign_in("lead", "pw")
    assert response.status_code == 429
    assert not got_in(response)


def test_the_right_password_works_again_after_the_cool_off(world):
    guess_wrong("lead")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert got_in(sign_in("lead", "pw"))


def test_the_lock_holds_until_the_cool_off_has_passed(world):
    guess_wrong("lead")
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert sign_in("lead", "pw").status_code == 429


def test_another_user_on_the_same_address_is_not_locked(world):
    guess_wrong("lead")
    assert got_in(sign_in("member", "pw", address=ATTACKER))


def test_the_same_user_from_another_address_is_not_locked(world):
    guess_wrong("lead")
    assert got_in(sign_in("lead", "pw", address="198.51.100.20"))


def test_the_admin_sign_in_is_throttled_too(world):
    admin_login = reverse("admin:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("admin", f"guess-{n}", path=admin_login)
    response = sign_in("admin", "pw", path=admin_login)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_a_locked_person_keeps_using_the_api_with_a_token(world):
    guess_wrong("lead")
    assert token_client(world.lead).get("/api/v1/units/").status_code == 200


def test_force_login_in_tests_still_signs_in(world, signed_in):
    assert signed_in(world.lead).get(reverse("dashboard")).status_code == 200
