"""A check-in's history is one row (issue 22, finding 5): the check-in's own entry, which
also carries the key result's new current value. The key result's history reads it from
there and shows what it showed when the key result had an entry of its own."""

from datetime import UTC, datetime

import time_machine
from auditlog.models import LogEntry

from lodestar.audit.history import entries_of, history_of
from lodestar.conftest import token_client
from lodestar.okrs.services import (
    checkin_create,
    key_result_create,
    key_result_update,
    objective_create,
)

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def make_key_result(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Win", owner=world.member)
    return key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, baseline=0, target=10
    )


def test_a_check_in_writes_one_entry_and_its_key_result_history_shows_the_move(world):
    key_result = make_key_result(world)
    before = LogEntry.objects.count()
    checkin = checkin_create(acting=world.member, key_result=key_result, value=4, confidence=7)
    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.latest("pk")
    assert (entry.content_type.model, entry.object_id) == ("checkin", checkin.pk)
    assert entry.additional_data["names"] == {
        "key_result": [None, "Deals"],
        "author": [None, "Member"],
    }
    key_result_update(acting=world.lead, key_result=key_result, title="Deals won")
    checkin_create(acting=world.lead, key_result=key_result, value=6, confidence=8)
    shown = history_of(key_result)
    assert [
        (c.who, c.action, [(f.label, f.before, f.after) for f in c.fields]) for c in shown.changes
    ][:3] == [
        ("Lead", "update", [("Current", "4", "6")]),
        ("Lead", "update", [("Title", "Deals", "Deals won")]),
        ("Member", "update", [("Current", "0", "4")]),
    ]


@time_machine.travel(NOW, tick=False)
def test_an_older_check_in_joins_the_history_without_moving_its_key_result(world):
    key_result = make_key_result(world)
    checkin_create(acting=world.member, key_result=key_result, value=4, confidence=7)
    moves = entries_of(key_result).count()
    checkin_create(
        acting=world.member,
        key_result=key_result,
        value=2,
        confidence=7,
        at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    assert entries_of(key_result).count() == moves  # the current value did not move
    assert LogEntry.objects.filter(content_type__model="checkin").count() == 2


@time_machine.travel(NOW, tick=False)
def test_the_api_histories_read_the_same(world):
    key_result = make_key_result(world)
    checkin = checkin_create(acting=world.member, key_result=key_result, value=4, confidence=7)
    client = token_client(world.member)
    changes = client.get(f"/api/v1/key-results/{key_result.pk}/history").json()["items"]
    assert changes[0]["action"] == "update"
    assert changes[0]["changes"] == {"current": [0, 4]}
    assert changes[0]["actor"] == {"id": world.member.pk, "name": "Member"}
    created = client.get(f"/api/v1/checkins/{checkin.pk}/history").json()["items"]
    assert [entry["action"] for entry in created] == ["create"]
    assert created[0]["changes"]["value"] == [None, 4.0]
    assert created[0]["changes"]["key_result"] == [None, key_result.pk]
