"""A database that stops answering (a restart, a terminated connection) answered 500 on every
page: an outage is 503 with Retry-After, on pages (whichever layer met it) and the API."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from lodestar.conftest import token_client
from lodestar.outage import is_outage


@contextmanager
def database_down():
    """While it lasts, every new cursor fails as psycopg fails when the server is gone."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        yield


def test_a_page_answers_503_with_retry_after_when_the_database_is_down(world, signed_in):
    client = signed_in(world.member)
    client.raise_request_exception = False
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"try again" in response.content


def test_the_api_answers_503_with_retry_after_when_the_database_is_down(world):
    client = token_client(world.member)
    client.raise_request_exception = False
    with database_down():
        response = client.get("/api/v1/units/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "try again" in response.json()["detail"]


def test_a_mistake_in_our_own_sql_is_still_a_500():
    assert not is_outage(OperationalError("no such table: lodestar_nothing"))
    assert is_outage(OperationalError("database is locked"))
