"""New work does not look failed: a key result added a minute ago, never checked in, is
"not started" - neutral, neither red nor stale - on the tree, its page and the
dashboard, until the stale limit has passed since it started (docs/scoring.md, Pace)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from lodestar.insights.alerts import alerts_for
from lodestar.okrs.services import key_result_create, objective_create

LATE_IN_THE_CYCLE = datetime(2026, 11, 20, 12, tzinfo=UTC)  # Q4 2026 is 55 % through


@pytest.fixture(autouse=True)
def late_in_the_cycle():
    with time_machine.travel(LATE_IN_THE_CYCLE, tick=False):
        yield


@pytest.fixture
def fresh(world):
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Open the Nordics", unit=world.sales
    )
    return key_result_create(
        acting=None,
        objective=objective,
        title="Sign the first partner",
        owner=world.member,
        baseline=0,
        target=3,
        unit_label="partners",
    )


def badges(page: str) -> list[tuple[str, str]]:
    """(class, text) of each badge, its inner tags dropped."""
    found = re.findall(r'<span class="badge ([^"]+)"[^>]*>(.*?)</span>(?!</span>)', page)
    return [(css, re.sub(r"<[^>]+>", "", text).strip()) for css, text in found]


def assert_neutral(page: str) -> None:
    shown = badges(page)
    assert ("pace-not_started", "not started") in shown
    assert not [b for b in shown if b[0] in ("status-red", "pace-stale", "pace-at_risk")], shown
    assert "0.00 red" not in page


def test_a_fresh_key_result_is_neither_red_nor_stale_on_the_tree(world, fresh, signed_in):
    page = signed_in(world.member).get(reverse("okr-tree")).content.decode()
    assert fresh.title in page
    assert_neutral(page)
    assert badges(page).count(("status-grey", "not started")) == 2  # objective and key result


def test_a_fresh_key_result_is_neither_red_nor_stale_on_its_page(world, fresh, signed_in):
    page = signed_in(world.member).get(reverse("key-result", args=[fresh.pk])).content.decode()
    assert_neutral(page)
    assert ("status-grey", "not started") in badges(page)  # its score chip: no verdict yet


def pace_tiles(page: str) -> dict[str, str]:
    pattern = r'<span class="label">Key results ([^<]+)</span>\s*<span class="figure">([^<]+)<'
    return dict(re.findall(pattern, page))


def test_a_fresh_key_result_counts_as_not_started_not_stale_on_the_dashboard(
    world, fresh, signed_in
):
    page = signed_in(world.member).get(reverse("dashboard")).content.decode()
    assert pace_tiles(page) == {
        "on track": "0",
        "behind": "0",
        "at risk": "0",
        "stale": "0",
        "not started": "1",
    }
    assert 'class="tile pace-not_started"' in page


def test_a_fresh_key_result_raises_no_alert(world, fresh):
    assert not [a for a in alerts_for(world.admin) if fresh.title in a.message]


def test_the_stale_limit_after_its_start_makes_a_silent_key_result_stale(world, fresh, signed_in):
    with time_machine.travel(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False):  # 15 days on
        page = signed_in(world.member).get(reverse("dashboard")).content.decode()
    assert pace_tiles(page)["stale"] == "1"
    assert pace_tiles(page)["not started"] == "0"
