"""A bug in an endpoint answers the API's JSON error body with 500, not Django's HTML page,
and its traceback goes to the log.

The failing route lives on a test-only API that installs the same error handlers as the
real one (the real API's routes are fixed once its URLs are built)."""

import logging

import pytest
from django.urls import path
from ninja import NinjaAPI

from lodestar.api.api import api
from lodestar.api.errors import install_error_handlers


class BrokenInvariant(RuntimeError):
    pass


failing_api = NinjaAPI(urls_namespace="failing-api")
install_error_handlers(failing_api)


@failing_api.get("/explode")
def explode(request):
    raise BrokenInvariant("the stored score is not a number")


urlpatterns = [path("failing/", failing_api.urls)]


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.mark.urls(__name__)
def test_an_unexpected_exception_answers_the_json_error_body(client, production):
    response = client.get("/failing/explode")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Internal server error.", "errors": {}}
    assert "stored score" not in response.content.decode()  # no internals to the caller


@pytest.mark.urls(__name__)
def test_an_unexpected_exception_is_logged_with_its_traceback(client, production, caplog):
    with caplog.at_level(logging.ERROR, logger="lodestar.api.errors"):
        client.get("/failing/explode")
    [record] = [r for r in caplog.records if r.name == "lodestar.api.errors"]
    assert record.exc_info[0] is BrokenInvariant
    assert "GET /failing/explode" in record.getMessage()
    assert "the stored score is not a number" in caplog.text  # the formatted traceback


def test_the_real_api_answers_an_unexpected_exception_the_same_way(rf, production):
    try:
        raise BrokenInvariant("boom")
    except BrokenInvariant as error:
        response = api.on_exception(rf.get("/api/v1/units/"), error)
    assert response.status_code == 500
    assert response.content == b'{"detail": "Internal server error.", "errors": {}}'
