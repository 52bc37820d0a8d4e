"""Outcome words only when they are true, on the pages (docs/scoring.md, "Where an
objective stands"): no "missed" before a cycle closes, "not started" for new work,
"planned" in planning, and no "score well" below the OKR green band."""

import re
from datetime import date, datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from lodestar.okrs.services import (
    checkin_create,
    cycle_create,
    key_result_create,
    objective_create,
)
from lodestar.web.views.display import divergence_reading

THREE_WEEKS_LEFT = datetime(2026, 12, 10, 10)


def objective_with_key_result(world, cycle, title: str):
    objective = objective_create(acting=None, cycle=cycle, title=title, unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title=title, owner=world.member, baseline=0, target=100
    )
    return objective, key_result


def review_row_text(page, title: str) -> str:
    rows = re.findall(r"<tr id=\"objective-\d+\">.*?</tr>", page, re.S)
    row = next(row for row in rows if title in row)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_with_three_weeks_left_a_behind_objective_is_at_risk_not_missed(world, signed_in):
    with time_machine.travel(timezone.make_aware(datetime(2026, 10, 2))):
        _, key_result = objective_with_key_result(world, world.cycle, "Grow sales")
    with time_machine.travel(timezone.make_aware(THREE_WEEKS_LEFT)):
        checkin_create(acting=world.member, key_result=key_result, value=31, confidence=6)
        page = signed_in(world.lead).get(reverse("cycle", args=[world.cycle.pk])).text
    text = review_row_text(page, "Grow sales")
    assert "at risk" in text and "missed" not in text, text


def test_a_brand_new_objective_reads_not_started_on_its_page_and_in_the_review(world, signed_in):
    with time_machine.travel(timezone.make_aware(THREE_WEEKS_LEFT)):
        objective, _ = objective_with_key_result(world, world.cycle, "Open Berlin")
        client = signed_in(world.lead)
        review = client.get(reverse("cycle", args=[world.cycle.pk])).text
        own_page = client.get(reverse("objective", args=[objective.pk])).text
    text = review_row_text(review, "Open Berlin")
    assert "not started" in text and "missed" not in text and "red" not in text, text
    assert "not started" in own_page


def test_a_planning_cycles_objectives_read_planned(world, signed_in):
    planning = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    objective, key_result = objective_with_key_result(world, planning, "Carried over")
    key_result.current, key_result.score = 31, 0.31
    key_result.save(update_fields=["current", "score"])
    objective.score = 0.31
    objective.save(update_fields=["score"])
    page = signed_in(world.lead).get(reverse("cycle", args=[planning.pk])).text
    text = review_row_text(page, "Carried over")
    assert "planned" in text and "missed" not in text, text


def test_okrs_are_not_said_to_score_well_at_a_yellow_054():
    reading = divergence_reading(performance=0.30, execution=0.54)
    assert "score well" not in reading
    assert "0.54" in reading and "yellow" in reading
    assert "score well" in divergence_reading(performance=0.40, execution=0.80)
