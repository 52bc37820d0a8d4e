"""Behind the TLS proxy every request comes from the proxy's address: the sign-in lock must
fall on (user name, the client's address as the proxy saw it), or anyone guessing the
admin's password locks the real admin out."""

import pytest
from django.conf import settings
from django.test import Client

from lodestar.settings import client_address_settings

PROXY = "10.0.0.2"  # every request reaches Django from here
ATTACKER = "203.0.113.7"
REAL_ADMIN = "198.51.100.20"
SIGN_IN_PAGES = ["/login/", "/admin/login/"]


def through_proxy(client_address: str, sent_by_client: str = "") -> Client:
    """A browser behind the proxy, which appends the address it saw to X-Forwarded-For
    (after whatever the client sent itself, as nginx's $proxy_add_x_forwarded_for does)."""
    forwarded = f"{sent_by_client}, {client_address}" if sent_by_client else client_address
    return Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded})


def got_in(response) -> bool:
    return response.status_code == 302 and "/login/" not in response["Location"]


def guess_wrong(client: Client, path: str) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(path, {"username": "admin", "password": f"guess-{n}"})


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in client_address_settings(proxies=1).items():
        setattr(settings, name, value)


@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_an_attackers_guesses_do_not_lock_the_admin_out_from_elsewhere(
    world, behind_one_proxy, path
):
    attacker = through_proxy(ATTACKER)
    guess_wrong(attacker, path)
    assert attacker.post(path, {"username": "admin", "password": "pw"}).status_code == 429
    assert got_in(through_proxy(REAL_ADMIN).post(path, {"username": "admin", "password": "pw"}))


@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_an_address_the_attacker_sends_himself_does_not_move_the_lock(
    world, behind_one_proxy, path
):
    guess_wrong(through_proxy(ATTACKER), path)
    # Pretending to be the admin's address changes nothing: the proxy's entry counts.
    spoofing = through_proxy(ATTACKER, sent_by_client=REAL_ADMIN)
    assert spoofing.post(path, {"username": "admin", "password": "pw"}).status_code == 429
    # Nor can the attacker lock the admin's address by naming it.
    guess_wrong(through_proxy(ATTACKER, sent_by_client=REAL_ADMIN), path)
    assert got_in(through_proxy(REAL_ADMIN).post(path, {"username": "admin", "password": "pw"}))


def test_without_a_proxy_the_header_is_the_clients_own_word_and_ignored(world):
    """Served directly, X-Forwarded-For is whatever the client wrote: changing it must not
    buy a fresh set of guesses."""
    guess_wrong(Client(REMOTE_ADDR=ATTACKER, headers={"x-forwarded-for": "192.0.2.1"}), "/login/")
    other_header = Client(REMOTE_ADDR=ATTACKER, headers={"x-forwarded-for": "192.0.2.99"})
    assert other_header.post("/login/", {"username": "admin", "password": "pw"}).status_code == 429
    assert got_in(
        Client(REMOTE_ADDR=REAL_ADMIN).post("/login/", {"username": "admin", "password": "pw"})
    )
