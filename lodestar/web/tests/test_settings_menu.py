"""The top bar's Settings menu (under the person's name) reaches every page of one's own
settings, and the pages of what the reader's role may manage: never a link that refuses."""

import re

import pytest

pytestmark = pytest.mark.django_db

OWN = [
    "Your profile",
    "E-mail",
    "Password",
    "Second factor",
    "Sessions and sign-ins",
    "Reminders and digests",
    "API tokens",
]
MANAGED = [
    "Data sources",
    "Webhook deliveries",
    "Admin",
    "Sign-ins of everyone",
    "Second factor for admins",
]


def menu_of(client) -> dict[str, str]:
    page = client.get("/").content.decode()
    menu = re.search(r'<details class="settings-menu">(.*?)</details>', page, re.S).group(1)
    return {label: href for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu)}


@pytest.mark.parametrize("who", ["admin", "strat", "lead", "member", "viewer", "outsider"])
def test_every_link_of_the_menu_opens_for_its_reader(world, signed_in, who):
    client = signed_in(getattr(world, who))
    menu = menu_of(client)
    assert set(OWN) <= set(menu)
    for label, href in menu.items():
        assert client.get(href).status_code == 200, (who, label, href)


def test_only_those_who_manage_them_see_the_installation_settings(world, signed_in):
    assert set(MANAGED) <= set(menu_of(signed_in(world.admin)))
    assert not set(MANAGED) & set(menu_of(signed_in(world.member)))
    assert not set(MANAGED) & set(menu_of(signed_in(world.viewer)))
