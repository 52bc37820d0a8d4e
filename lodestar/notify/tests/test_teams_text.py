"""Finding 13: a title is text in a Teams digest, never Markdown: the Adaptive Card
that reaches a real local receiver links only to Lodestar's own pages."""

import json
from datetime import UTC, date, datetime

import pytest

from lodestar.notify.models import UnitChannel
from lodestar.notify.rhythm import notify_run
from lodestar.notify.tests.test_webhooks import Receiver
from lodestar.okrs.models import KeyResult
from lodestar.okrs.services import key_result_create, objective_create

TITLE = "Grow ARR](https://evil.example) ["


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def urls_and_markdown(node, found: dict) -> dict:
    """Every URL in the card, and every text a Markdown reader would parse."""
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            found["markdown"].append(node["text"])
        for key, value in node.items():
            if key == "url":
                found["urls"].append(value)
            urls_and_markdown(value, found)
    elif isinstance(node, list):
        for item in node:
            urls_and_markdown(item, found)
    return found


def test_a_title_with_a_markdown_link_stays_text_in_the_teams_digest(world, settings, receiver):
    settings.SITE_URL = "https://okr.example.com"
    UnitChannel.objects.create(unit=world.sales, teams_url=receiver.url)
    objective = objective_create(
        acting=None, cycle=world.cycle, title=TITLE, unit=world.sales, owner=world.lead
    )
    key_result_create(acting=None, objective=objective, title=TITLE, owner=world.member, target=9)
    KeyResult.objects.update(created_at=datetime(2026, 10, 1, tzinfo=UTC))  # stale: in the digest
    notify_run(date(2026, 12, 1))
    [delivered] = receiver.received
    card = json.loads(delivered["body"])["attachments"][0]["content"]
    found = urls_and_markdown(card, {"urls": [], "markdown": []})
    assert TITLE in json.dumps(card, ensure_ascii=False)  # shown, as the text it is
    assert found["urls"] and all(u.startswith("https://okr.example.com/") for u in found["urls"])
    assert not any("evil.example" in text for text in found["markdown"])
