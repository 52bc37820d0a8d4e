"""A second factor: set up from one's settings, asked after every sign-in before anything
else, recovery codes once each, required for the roles the installation names."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lodestar.api.services import api_token_create
from lodestar.org.second_factor import second_factor_remove

pytestmark = pytest.mark.django_db


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def set_up(client: Client, person) -> list[str]:
    started = client.post("/account/two-factor/", {"action": "start"})
    assert b"<svg" in started.content  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    done = client.post("/account/two-factor/", {"action": "confirm", "code": code_of(device)})
    assert done.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())


def signed_in_with_password(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": "pw"}).status_code == 302
    return client


def test_after_setting_it_up_every_sign_in_asks_for_the_code(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        codes = set_up(signed_in_with_password("member"), world.member)
        assert len(codes) == 10
        clock.shift(timedelta(seconds=31))  # a code counts once: the next one
        client = signed_in_with_password("member")
        owed = client.get("/okrs/")
        assert owed.status_code == 302 and owed["Location"] == "/account/verify/?next=%2Fokrs%2F"
        device = TOTPDevice.objects.get(user=world.member)
        answered = client.post("/account/verify/", {"code": code_of(device), "next": "/okrs/"})
        assert answered["Location"] == "/okrs/"
        assert client.get("/okrs/").status_code == 200


def test_a_wrong_code_opens_nothing_and_a_recovery_code_opens_once(world):
    codes = set_up(signed_in_with_password("member"), world.member)
    client = signed_in_with_password("member")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.post("/account/verify/", {"code": "000000"}).status_code == 400
        assert client.get("/").status_code == 302
        clock.shift(timedelta(seconds=2))  # after a wrong code the next try waits a moment
        assert client.post("/account/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    again = signed_in_with_password("member")
    assert again.post("/account/verify/", {"code": codes[0]}).status_code == 400


def test_a_required_role_sets_one_up_before_anything_else(world, settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = ["admin"]
    admin = signed_in_with_password("admin")
    assert admin.get("/").url == "/account/two-factor/"
    assert admin.get("/account/two-factor/").status_code == 200
    assert signed_in_with_password("member").get("/").status_code == 200
    set_up(admin, world.admin)
    assert admin.get("/").status_code == 200  # this session gave its code while setting up


def test_tokens_of_the_api_are_not_asked_for_a_code(world):
    set_up(signed_in_with_password("member"), world.member)
    _, secret = api_token_create(acting=None, person=world.member, name="script")
    answer = Client(headers={"authorization": f"Bearer {secret}"}).get("/api/v1/me")
    assert answer.status_code == 200


def test_only_oneself_or_an_admin_removes_it(world):
    set_up(signed_in_with_password("member"), world.member)
    with pytest.raises(Exception, match="Only an admin"):
        second_factor_remove(acting=world.lead, person=world.member)
    assert TOTPDevice.objects.filter(user=world.member).exists()
    second_factor_remove(acting=world.admin, person=world.member)  # a lost phone
    assert not TOTPDevice.objects.filter(user=world.member).exists()
    assert signed_in_with_password("member").get("/").status_code == 200
