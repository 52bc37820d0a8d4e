"""`Idempotency-Key` on every POST (issue 22, finding 5): a reply lost after the commit is
retried without a second check-in."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from lodestar.api.idempotency import (
    ABANDONED,
    IN_PROGRESS,
    KEPT,
    MALFORMED,
    OTHER_REQUEST,
    REPLAYED,
    fingerprint,
)
from lodestar.api.models import IdempotentRequest
from lodestar.conftest import token_client
from lodestar.okrs.models import CheckIn, KeyResult
from lodestar.okrs.services import key_result_create, objective_create

URL = "/api/v1/checkins/"


@pytest.fixture
def key_result(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    return key_result_create(
        acting=None, objective=objective, title="Users", owner=world.member, target=50
    )


def check_in(client, key_result, key: str | None, value: float = 5, **extra):
    headers = {"Idempotency-Key": key} if key is not None else {}
    body = {"key_result": key_result.pk, "value": value, "confidence": 7, **extra}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_a_retry_after_the_commit_answers_the_first_response_and_checks_in_once(world, key_result):
    client = token_client(world.member)
    first = check_in(client, key_result, "4f1c-retry")
    assert first.status_code == 201
    again = check_in(client, key_result, "4f1c-retry")  # the client never saw `first`
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again[REPLAYED] == "true" and not first.has_header(REPLAYED)
    assert CheckIn.objects.filter(key_result=key_result).count() == 1
    # Without a key, the same body is a second check-in, as it always was.
    assert check_in(client, key_result, None).status_code == 201
    assert CheckIn.objects.filter(key_result=key_result).count() == 2


def test_the_same_key_with_another_body_is_refused(world, key_result):
    client = token_client(world.member)
    assert check_in(client, key_result, "k", value=5).status_code == 201
    other = check_in(client, key_result, "k", value=6)
    assert other.status_code == 422
    assert (
        other.json()["detail"]
        == OTHER_REQUEST
        == ("This Idempotency-Key was used for a different request.")
    )
    # Another path with the same key and body is another request too.
    objective = client.post(
        "/api/v1/objectives/",
        {"cycle": key_result.cycle_id, "title": "Grow", "unit": world.sales.pk},
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )
    assert objective.status_code == 422
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


def test_a_key_is_the_senders_own(world, key_result):
    """The lead's key is independent of the member's: the lead gets an answer of their own
    (a check-in of their own), never the member's stored one."""
    mine = check_in(token_client(world.member), key_result, "shared-key")
    theirs = check_in(token_client(world.lead), key_result, "shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert theirs.json()["author"] == world.lead.pk != mine.json()["author"]
    assert not theirs.has_header(REPLAYED)
    assert IdempotentRequest.objects.filter(key="shared-key").count() == 2
    # And someone who may not check in on it is refused as without a key.
    refused = check_in(token_client(world.outsider), key_result, "shared-key")
    assert refused.status_code == 403
    assert str(mine.json()["id"]) not in refused.content.decode()


def test_a_request_still_running_with_the_key_answers_409(world, key_result):
    """Its row is there, without a response yet (the concurrent test below makes one run
    for real on PostgreSQL)."""
    body = {"key_result": key_result.pk, "value": 5, "confidence": 7}
    same = RequestFactory().post(URL, body, content_type="application/json")
    IdempotentRequest.objects.create(
        person=world.member, key="running", fingerprint=fingerprint(same)
    )
    refused = check_in(token_client(world.member), key_result, "running")
    assert refused.status_code == 409
    assert refused.json()["detail"] == IN_PROGRESS
    assert not CheckIn.objects.exists()
    # A request that died with its process frees the key once it is plainly abandoned.
    with time_machine.travel(timezone.now() + ABANDONED + timedelta(seconds=1)):
        assert check_in(token_client(world.member), key_result, "running").status_code == 201


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_requests_with_one_key_one_runs_the_other_answers_409(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="Users", owner=world.member, target=50
    )
    client = token_client(world.member)
    answers: dict[str, object] = {}
    claimed = threading.Event()

    def first() -> None:
        try:
            answers["first"] = check_in(client, key_result, "together")
        finally:
            connection.close()

    # Holding the key result's row keeps the first request inside its write, its key
    # claimed, while the second arrives.
    with transaction.atomic():
        KeyResult.objects.select_for_update().get(pk=key_result.pk)
        thread = threading.Thread(target=first)
        thread.start()
        for _ in range(200):
            if IdempotentRequest.objects.filter(key="together").exists():
                claimed.set()
                break
            threading.Event().wait(0.05)
        assert claimed.is_set()
        second = check_in(client, key_result, "together")
    thread.join()
    assert second.status_code == 409
    assert answers["first"].status_code == 201
    assert CheckIn.objects.filter(key_result=key_result).count() == 1
    assert check_in(client, key_result, "together").json() == answers["first"].json()


def test_a_refused_request_keeps_nothing_and_frees_the_key(world, key_result):
    client = token_client(world.member)
    refused = check_in(client, key_result, "fix-and-retry", value=5, confidence=11)
    assert refused.status_code == 422
    assert not IdempotentRequest.objects.filter(key="fix-and-retry").exists()
    corrected = check_in(client, key_result, "fix-and-retry", value=5)
    assert corrected.status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "naïve"])
def test_a_malformed_key_is_refused_in_words(world, key_result, key):
    answer = check_in(token_client(world.member), key_result, key)
    assert answer.status_code == 422
    assert answer.json() == {"detail": MALFORMED, "errors": {"Idempotency-Key": [MALFORMED]}}
    assert not CheckIn.objects.exists()


def test_a_get_ignores_the_header(world, key_result):
    client = token_client(world.member)
    for _ in range(2):
        answer = client.get(
            f"/api/v1/key-results/{key_result.pk}", headers={"Idempotency-Key": "read"}
        )
        assert answer.status_code == 200 and not answer.has_header(REPLAYED)
    assert not IdempotentRequest.objects.exists()


def test_a_key_is_kept_24_hours_then_pruned(world, key_result):
    client = token_client(world.member)
    assert check_in(client, key_result, "daily").status_code == 201
    with time_machine.travel(timezone.now() + KEPT + timedelta(minutes=1)):
        # Expired: the key is free again (and a later check-in is a new one).
        assert check_in(client, key_result, "daily").status_code == 201
        assert CheckIn.objects.filter(key_result=key_result).count() == 2
    with time_machine.travel(timezone.now() + 2 * KEPT + timedelta(minutes=2)):
        call_command("idempotency", "prune", verbosity=0)
    assert not IdempotentRequest.objects.exists()


def test_the_api_document_says_it(client):
    description = client.get("/api/v1/openapi.json").json()["info"]["description"]
    assert "Idempotency-Key" in description and "409" in description
