"""API test helpers: a client per persona, authenticated with a real personal token."""

import pytest
from django.test import Client

from lodestar.api.services import api_token_create


def token_client(person) -> Client:
    _, secret = api_token_create(acting=None, person=person, name="tests")
    return Client(headers={"authorization": f"Bearer {secret}"})


@pytest.fixture
def as_(world):
    """`as_("lead").get(...)`: a client acting as one of the world's personas."""
    clients = {}

    def client_for(name: str) -> Client:
        if name not in clients:
            clients[name] = token_client(getattr(world, name))
        return clients[name]

    return client_for
