"""While a cycle runs, every surface words an objective and a key result by its forecast
(issue 21, finding 3: an objective read "at risk" beside a forecast of 0.83): the
objective and key result pages, the OKR tree, the cycle review and the API."""

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lodestar.okrs.services import checkin_create, key_result_create, objective_create

HALF_WAY = timezone.make_aware(datetime(2026, 11, 16, 12))  # day 46 of Q4's 91


def climbing(world, title: str, values: tuple[float, float, float]):
    """An objective whose one key result (0 → 100) checks in `values` on 1, 8 and 15 Nov."""
    with time_machine.travel(timezone.make_aware(datetime(2026, 10, 2))):
        objective = objective_create(acting=None, cycle=world.cycle, title=title, unit=world.sales)
        key_result = key_result_create(
            acting=None, objective=objective, title=f"{title} KR", owner=world.member, target=100
        )
    for day, value in zip((1, 8, 15), values, strict=True):
        at = timezone.make_aware(datetime(2026, 11, day, 9))
        with time_machine.travel(at, tick=False):
            checkin_create(acting=world.member, key_result=key_result, value=value, confidence=6)
    return objective, key_result


@pytest.fixture
def late_but_climbing(world):
    """0.20 done where 0.51 is expected (at risk by the plan line alone), yet 10 a week
    since 1 November heads for 85.7 by 31 December: a forecast of 0.86."""
    return climbing(world, "Steep", (0, 10, 20))


@pytest.fixture
def on_plan_but_flat(world):
    """0.50 done where 0.51 is expected (on pace), yet 1 a week heads for 56.6: 0.57."""
    return climbing(world, "Flat", (48, 49, 50))


def words_of(html: str) -> set[str]:
    badges = re.findall(r'<span class="badge[^"]*"[^>]*>([^<]+)</span>', html)
    return {badge.strip() for badge in badges}


def review_row(page: str, title: str) -> str:
    rows = re.findall(r"<tr id=\"objective-\d+\">.*?</tr>", page, re.S)
    row = next(row for row in rows if title in row)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_a_late_objective_heading_for_086_reads_on_track_everywhere(
    world, signed_in, as_, late_but_climbing
):
    objective, key_result = late_but_climbing
    with time_machine.travel(HALF_WAY, tick=False):
        client = signed_in(world.lead)
        objective_page = client.get(reverse("objective", args=[objective.pk])).text
        key_result_page = client.get(reverse("key-result", args=[key_result.pk])).text
        tree = client.get(reverse("okr-tree")).text
        review = client.get(reverse("cycle", args=[world.cycle.pk])).text
        api_objective = as_("lead").get(f"/api/v1/objectives/{objective.pk}").json()
        api_key_result = as_("lead").get(f"/api/v1/key-results/{key_result.pk}").json()
    assert "0.86" in objective_page
    assert "on track" in words_of(objective_page)
    assert "at risk" not in words_of(objective_page)
    assert "on track" in words_of(key_result_page)
    assert "at risk" not in words_of(tree) and "on track" in words_of(tree)
    row = review_row(review, "Steep")
    assert "on track" in row and "at risk" not in row and "0.86" in row, row
    assert api_objective["outcome"] == "on_track"
    assert api_key_result["pace"] == "on_track"


def test_an_objective_on_pace_but_heading_for_057_reads_behind(
    world, signed_in, as_, on_plan_but_flat
):
    objective, key_result = on_plan_but_flat
    with time_machine.travel(HALF_WAY, tick=False):
        objective_page = signed_in(world.lead).get(reverse("objective", args=[objective.pk])).text
        api_objective = as_("lead").get(f"/api/v1/objectives/{objective.pk}").json()
        api_key_result = as_("lead").get(f"/api/v1/key-results/{key_result.pk}").json()
    assert "behind" in words_of(objective_page) and "on track" not in words_of(objective_page)
    assert api_objective["outcome"] == "behind"
    assert api_key_result["pace"] == "behind"


def test_a_committed_objective_heading_for_086_is_behind_its_bar_of_1(
    world, as_, late_but_climbing
):
    objective, _ = late_but_climbing
    objective.kind = "committed"
    objective.save(update_fields=["kind"])
    with time_machine.travel(HALF_WAY, tick=False):
        assert as_("lead").get(f"/api/v1/objectives/{objective.pk}").json()["outcome"] == "behind"
